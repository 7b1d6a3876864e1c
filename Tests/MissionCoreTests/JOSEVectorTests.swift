import Foundation
import Testing
@testable import MissionCore

/// The fixed AAuth vectors from ../shared/vectors/test-vectors.txt (made by make_vectors.py with
/// python `cryptography`; agent key = RFC 8032 TEST 1, agent provider key = TEST 2).
@Suite struct SharedVectorTests {
    static let agentJWK =
        #"{"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "alg": "Ed25519"}"#
    static let apJWKS =
        #"{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "PUAXw-hDiVqStwqnTRt-vJyYLM8uxJaMwM1V8Sr0Zgw", "alg": "Ed25519", "kid": "ap-key-1", "use": "sig"}]}"#
    static let agentToken =
        "eyJhbGciOiJFZDI1NTE5IiwidHlwIjoiYWEtYWdlbnQrand0Iiwia2lkIjoiYXAta2V5LTEifQ.eyJpc3MiOiJodHRwczovL2FnZW50LmV4YW1wbGUiLCJkd2siOiJhYXV0aC1hZ2VudC5qc29uIiwic3ViIjoiYWF1dGg6YXNzaXN0YW50QGFnZW50LmV4YW1wbGUiLCJqdGkiOiJhdC0wMDAxIiwiY25mIjp7Imp3ayI6eyJrdHkiOiJPS1AiLCJjcnYiOiJFZDI1NTE5IiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8iLCJhbGciOiJFZDI1NTE5In19LCJwcyI6Imh0dHBzOi8vbWEuZXhhbXBsZSIsImlhdCI6MTczMDIxNzAwMCwiZXhwIjoxNzMwMjIwNjAwfQ.55DYbqqc_t8NPVnqXSU-u8oDSPjw9XlGJmovwqgTrsix8ct1ItbfhvvGgj1DuwH1Wzqjdk1noN_UIbY6riGFCw"
    static let body = ##"{"description":"# Test mission\n\nSummarise three pricing pages."}"##
    static let signatureBase = """
        "@method": POST
        "@authority": ma.example
        "@path": /mission
        "content-type": application/json
        "content-digest": sha-256=:MTOKSm1gbSagtkSGID99Fza+1TnlUGSL0rfJYN8rsAM=:
        "signature-key": sig=jwt;jwt="\(agentToken)"
        "@signature-params": ("@method" "@authority" "@path" "content-type" "content-digest" "signature-key");created=1730217600
        """
    static let signature = "zFZ8b9NNt7dfWcl64LQBF1nux2Ohi7gNY3o3DPsQ7gFS6rF95NtudMSjKshusNjU87X1VONSd4y0DtqSnMyeBg=="
    static let missionBlob =
        ##"{"agent":"aauth:assistant@agent.example","approved_at":"2026-04-07T14:30:00Z","description":"# Test mission\n\nSummarise three pricing pages."}"##

    static func validator(at seconds: TimeInterval) -> JWTValidator {
        JWTValidator(
            timeSource: ManualTimeSource(Date(timeIntervalSince1970: seconds)), expectedType: "aa-agent+jwt",
            issuer: "https://agent.example", requiredClaims: ["sub", "cnf"])
    }

    @Test func agentTokenVerifiesWithTheAgentProviderJWKS() throws {
        let unverified = try JWT.decodeUnverified(Self.agentToken)
        let jwks = try JWKSet(jsonData: Array(Self.apJWKS.utf8), options: .aauthConveyedKey)
        let keyID = try #require(unverified.header.keyID)
        let key = try #require(jwks.key(withID: keyID))
        let jwt = try unverified.verify(with: key, validator: Self.validator(at: 1_730_217_600))
        #expect(try jwt.claims.subject == "aauth:assistant@agent.example")
        #expect(try jwt.claims.jwtID == "at-0001")
        #expect(try jwt.claims.string("ps") == "https://ma.example")
        let confirmation = try #require(try jwt.claims.confirmationKey())
        #expect(confirmation == (try JWK(jsonData: Array(Self.agentJWK.utf8), options: .aauthConveyedKey)))
        #expect(confirmation.thumbprint() == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
    }

    @Test func agentTokenTimeAndTypeChecks() throws {
        let key = try #require(try JWKSet(jsonData: Array(Self.apJWKS.utf8)).key(withID: "ap-key-1"))
        #expect(throws: JOSEError.expired) {
            try JWT.verify(Self.agentToken, key: key.publicKey, validator: Self.validator(at: 1_730_220_600))
        }
        #expect(throws: JOSEError.issuedInFuture) {
            try JWT.verify(Self.agentToken, key: key.publicKey, validator: Self.validator(at: 1_730_216_000))
        }
        var authValidator = Self.validator(at: 1_730_217_600)
        authValidator.expectedType = "aa-auth+jwt"
        #expect(throws: JOSEError.wrongType(expected: "aa-auth+jwt", actual: "aa-agent+jwt")) {
            try JWT.verify(Self.agentToken, key: key.publicKey, validator: authValidator)
        }
        let agentKey = try JWK(jsonData: Array(Self.agentJWK.utf8))
        #expect(throws: JOSEError.badSignature) {
            try JWT.verify(Self.agentToken, key: agentKey.publicKey, validator: Self.validator(at: 1_730_217_600))
        }
    }

    @Test func requestSignatureVerifiesWithTheAgentKey() throws {
        let agentKey = try JWK(jsonData: Array(Self.agentJWK.utf8), options: .aauthConveyedKey)
        let signature = try #require(Base64.decode(Self.signature))
        let base = Array(Self.signatureBase.utf8)
        #expect(agentKey.publicKey.isValidJWSSignature(signature, for: base))
        #expect(!agentKey.publicKey.isValidJWSSignature(signature, for: base + [0x0A]))
        #expect(!agentKey.publicKey.isValidJWSSignature(flippingBit(signature, at: 10), for: base))
        // The agent key is RFC 8032 TEST 1: signing again gives the same bytes (Ed25519 is deterministic).
        #expect(try JOSETestSupport.rfc8037Key().signature(for: base) == signature)
    }

    @Test func contentDigestAndMissionHash() throws {
        #expect(
            "sha-256=:" + Base64.encode(SHA256.hash(Array(Self.body.utf8))) + ":"
                == "sha-256=:MTOKSm1gbSagtkSGID99Fza+1TnlUGSL0rfJYN8rsAM=:")
        let blob = Array(Self.missionBlob.utf8)
        #expect(
            Base64URL.encode(blob)
                == "eyJhZ2VudCI6ImFhdXRoOmFzc2lzdGFudEBhZ2VudC5leGFtcGxlIiwiYXBwcm92ZWRfYXQiOiIyMDI2LTA0LTA3VDE0OjMwOjAwWiIsImRlc2NyaXB0aW9uIjoiIyBUZXN0IG1pc3Npb25cblxuU3VtbWFyaXNlIHRocmVlIHByaWNpbmcgcGFnZXMuIn0"
        )
        #expect(Base64URL.encode(SHA256.hash(blob)) == "wr9GO-U8I5iSK5CrGZ-Fmzc4B9rMdM8MHr3RnI77yQ0")
        // The blob is already canonical JSON: re-encoding it gives the same bytes.
        #expect(try CanonicalJSON.encode(JSONValue.parse(blob)) == blob)
    }

    @Test func agentThumbprint() throws {
        let agentKey = try JWK(jsonData: Array(Self.agentJWK.utf8), options: .aauthConveyedKey)
        #expect(agentKey.thumbprint() == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
    }
}
