import Foundation
import Testing
@testable import MissionCore

@Suite struct JWTTests {
    static let now: TimeInterval = 1_780_000_000

    static func setup() throws -> (JWTSigner, JOSEPublicKey, ManualTimeSource) {
        let key = JOSEPrivateKey.ed25519(try Ed25519.PrivateKey())
        return (JWTSigner(key: key, keyID: "ma-1"), key.publicKey, ManualTimeSource(Date(timeIntervalSince1970: now)))
    }

    static func claims(_ extra: [String: JSONValue] = [:]) -> [String: JSONValue] {
        var claims: [String: JSONValue] = [
            "iss": "https://ap.example", "aud": "https://ma.example", "sub": "agent-1",
            "iat": .integer(Int64(now)), "exp": .integer(Int64(now) + 300),
        ]
        claims.merge(extra) { $1 }
        return claims
    }

    static func validator(_ clock: ManualTimeSource) -> JWTValidator {
        JWTValidator(
            timeSource: clock, expectedType: "aa-agent+jwt", issuer: "https://ap.example",
            audience: "https://ma.example")
    }

    @Test func signsDeterministicallyAndVerifies() throws {
        let (signer, publicKey, clock) = try Self.setup()
        let token = try signer.sign(
            claims: Self.claims(["cnf": ["jwk": ["kty": "OKP"]], "scope": "read"]), type: "aa-agent+jwt")
        let header = String(decoding: Base64URL.decode(JOSETestSupport.segment(0, of: token)) ?? [], as: UTF8.self)
        #expect(header == #"{"alg":"Ed25519","typ":"aa-agent+jwt","kid":"ma-1"}"#)
        let payload = String(decoding: Base64URL.decode(JOSETestSupport.segment(1, of: token)) ?? [], as: UTF8.self)
        #expect(
            payload
                == #"{"aud":"https://ma.example","cnf":{"jwk":{"kty":"OKP"}},"exp":1780000300,"iat":1780000000,"iss":"https://ap.example","scope":"read","sub":"agent-1"}"#
        )
        let jwt = try JWT.verify(token, key: publicKey, validator: Self.validator(clock))
        #expect(try jwt.claims.subject == "agent-1")
        #expect(try jwt.claims.string("scope") == "read")
        #expect(try jwt.claims.integer("iat") == Int64(Self.now))
        #expect(try jwt.claims.object("cnf")?["jwk"]?["kty"] == "OKP")
        #expect(try jwt.claims.expiration == Date(timeIntervalSince1970: Self.now + 300))
        #expect(jwt.header.keyID == "ma-1" && jwt.header.type == "aa-agent+jwt")
    }

    @Test func es256TokensToo() throws {
        let key = JOSEPrivateKey.p256(try P256.Signing.PrivateKey())
        let clock = ManualTimeSource(Date(timeIntervalSince1970: Self.now))
        let token = try JWTSigner(key: key, keyID: nil).sign(claims: Self.claims(), type: "aa-agent+jwt")
        #expect(
            String(decoding: Base64URL.decode(JOSETestSupport.segment(0, of: token)) ?? [], as: UTF8.self)
                == #"{"alg":"ES256","typ":"aa-agent+jwt"}"#)
        _ = try JWT.verify(token, key: key.publicKey, validator: Self.validator(clock))
    }

    @Test func typeIsCheckedFirst() throws {
        let (signer, publicKey, clock) = try Self.setup()
        // Wrong typ, wrong issuer, expired and badly signed at once: the typ error wins.
        let token = try signer.sign(
            claims: Self.claims(["iss": "https://evil.example", "exp": 1]), type: "aa-auth+jwt")
        let (_, otherKey, _) = try Self.setup()
        #expect(throws: JOSEError.wrongType(expected: "aa-agent+jwt", actual: "aa-auth+jwt")) {
            try JWT.verify(token, key: otherKey, validator: Self.validator(clock))
        }
        let untyped = try JWS.sign(payload: CanonicalJSON.encode(.object(Self.claims())), key: signer.key)
        #expect(throws: JOSEError.wrongType(expected: "aa-agent+jwt", actual: nil)) {
            try JWT.verify(untyped, key: publicKey, validator: Self.validator(clock))
        }
        // Exact comparison: case and the "application/" prefix matter.
        let upper = try signer.sign(claims: Self.claims(), type: "AA-AGENT+JWT")
        #expect(throws: JOSEError.wrongType(expected: "aa-agent+jwt", actual: "AA-AGENT+JWT")) {
            try JWT.verify(upper, key: publicKey, validator: Self.validator(clock))
        }
    }

    @Test func signatureIsCheckedBeforeClaims() throws {
        let (signer, _, clock) = try Self.setup()
        let (_, otherKey, _) = try Self.setup()
        let token = try signer.sign(claims: Self.claims(["exp": 1]), type: "aa-agent+jwt")
        #expect(throws: JOSEError.badSignature) {
            try JWT.verify(token, key: otherKey, validator: Self.validator(clock))
        }
    }

    @Test func issuerAndAudience() throws {
        let (signer, publicKey, clock) = try Self.setup()
        let validator = Self.validator(clock)
        for claims in [Self.claims(["iss": "https://other.example"]), Self.claims().filter { $0.key != "iss" }] {
            let token = try signer.sign(claims: claims, type: "aa-agent+jwt")
            #expect(throws: JOSEError.wrongIssuer) { try JWT.verify(token, key: publicKey, validator: validator) }
        }
        let numericIssuer = try signer.sign(claims: Self.claims(["iss": 5]), type: "aa-agent+jwt")
        #expect(throws: JOSEError.malformed("claim iss is not a string")) {
            try JWT.verify(numericIssuer, key: publicKey, validator: validator)
        }
        let arrayAudience = try signer.sign(
            claims: Self.claims(["aud": ["https://x.example", "https://ma.example"]]), type: "aa-agent+jwt")
        _ = try JWT.verify(arrayAudience, key: publicKey, validator: validator)
        for audience: JSONValue in ["https://x.example", ["https://x.example"], []] {
            let token = try signer.sign(claims: Self.claims(["aud": audience]), type: "aa-agent+jwt")
            #expect(throws: JOSEError.wrongAudience) { try JWT.verify(token, key: publicKey, validator: validator) }
        }
        let missingAudience = try signer.sign(claims: Self.claims().filter { $0.key != "aud" }, type: "aa-agent+jwt")
        #expect(throws: JOSEError.wrongAudience) {
            try JWT.verify(missingAudience, key: publicKey, validator: validator)
        }
        let badAudience = try signer.sign(claims: Self.claims(["aud": ["ok", 1]]), type: "aa-agent+jwt")
        #expect(throws: JOSEError.malformed("aud holds a non-string")) {
            try JWT.verify(badAudience, key: publicKey, validator: validator)
        }
    }

    @Test func expirationWithoutLeeway() throws {
        let (signer, publicKey, clock) = try Self.setup()
        let token = try signer.sign(claims: Self.claims(), type: "aa-agent+jwt")
        clock.advance(by: 299)
        _ = try JWT.verify(token, key: publicKey, validator: Self.validator(clock))
        clock.advance(by: 1)  // now == exp: RFC 7519 §4.1.4 requires now < exp
        #expect(throws: JOSEError.expired) { try JWT.verify(token, key: publicKey, validator: Self.validator(clock)) }
        var lenient = Self.validator(clock)
        lenient.leeway = 5
        _ = try JWT.verify(token, key: publicKey, validator: lenient)
    }

    @Test func expirationRequiredWhereConfigured() throws {
        let (signer, publicKey, clock) = try Self.setup()
        let token = try signer.sign(claims: Self.claims().filter { $0.key != "exp" }, type: "aa-agent+jwt")
        #expect(throws: JOSEError.missingClaim("exp")) {
            try JWT.verify(token, key: publicKey, validator: Self.validator(clock))
        }
        var optional = Self.validator(clock)
        optional.requiresExpiration = false
        _ = try JWT.verify(token, key: publicKey, validator: optional)
        let stringExp = try signer.sign(claims: Self.claims(["exp": "tomorrow"]), type: "aa-agent+jwt")
        #expect(throws: JOSEError.malformed("claim exp is not a NumericDate")) {
            try JWT.verify(stringExp, key: publicKey, validator: Self.validator(clock))
        }
    }

    @Test func notBefore() throws {
        let (signer, publicKey, clock) = try Self.setup()
        let token = try signer.sign(claims: Self.claims(["nbf": .integer(Int64(Self.now) + 10)]), type: "aa-agent+jwt")
        #expect(throws: JOSEError.notYetValid) {
            try JWT.verify(token, key: publicKey, validator: Self.validator(clock))
        }
        clock.advance(by: 10)
        _ = try JWT.verify(token, key: publicKey, validator: Self.validator(clock))
    }

    @Test func issuedAtSkew() throws {
        let (signer, publicKey, clock) = try Self.setup()
        let token = try signer.sign(claims: Self.claims(["iat": .integer(Int64(Self.now) + 61)]), type: "aa-agent+jwt")
        #expect(throws: JOSEError.issuedInFuture) {
            try JWT.verify(token, key: publicKey, validator: Self.validator(clock))
        }
        clock.advance(by: 1)
        _ = try JWT.verify(token, key: publicKey, validator: Self.validator(clock))
        var strict = Self.validator(clock)
        strict.requiresIssuedAt = true
        strict.requiredClaims = ["jti"]
        #expect(throws: JOSEError.missingClaim("jti")) { try JWT.verify(token, key: publicKey, validator: strict) }
        let noIat = try signer.sign(claims: Self.claims().filter { $0.key != "iat" }, type: "aa-agent+jwt")
        #expect(throws: JOSEError.missingClaim("iat")) { try JWT.verify(noIat, key: publicKey, validator: strict) }
    }

    @Test func claimsMustBeAStrictObject() throws {
        let (signer, publicKey, clock) = try Self.setup()
        let header = #"{"alg":"Ed25519","typ":"aa-agent+jwt"}"#
        let duplicate = try JOSETestSupport.token(
            header: header, payload: #"{"iss":"https://evil.example","iss":"https://ap.example","exp":1780000300}"#,
            key: signer.key)
        #expect(throws: JOSEError.malformed("duplicate member name \"iss\"")) {
            try JWT.verify(duplicate, key: publicKey, validator: Self.validator(clock))
        }
        let array = try JOSETestSupport.token(header: header, payload: "[1]", key: signer.key)
        #expect(throws: JOSEError.malformed("JWT claims are not a JSON object")) {
            try JWT.verify(array, key: publicKey, validator: Self.validator(clock))
        }
        let nested = try JOSETestSupport.token(
            header: #"{"alg":"Ed25519","cty":"JWT"}"#, payload: "{}", key: signer.key)
        #expect(throws: JOSEError.malformed("nested JWTs are not supported")) { try JWT.decodeUnverified(nested) }
    }

    @Test func decodeUnverifiedExposesKeySelectionData() throws {
        let (signer, publicKey, clock) = try Self.setup()
        let token = try signer.sign(claims: Self.claims(), type: "aa-agent+jwt")
        let unverified = try JWT.decodeUnverified(token)
        #expect(unverified.header.keyID == "ma-1")
        #expect(try unverified.unverifiedClaims.issuer == "https://ap.example")
        let jwt = try unverified.verify(with: publicKey.jwk(keyID: "ma-1"), validator: Self.validator(clock))
        #expect(try jwt.claims.audience == ["https://ma.example"])
    }

    @Test func signerRefusesNonCanonicalNumbers() throws {
        let (signer, _, _) = try Self.setup()
        #expect(throws: JOSEError.self) { try signer.sign(claims: ["exp": 1.5], type: "JWT") }
    }
}
