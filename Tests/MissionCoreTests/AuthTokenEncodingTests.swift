import Foundation
import Testing

@testable import MissionCore

/// The byte-level encoders on the grant path must write exactly what the generic canonical
/// encoder writes for the same JSON tree, including for strings that need escaping.
@Suite("Auth token claims and JOSE encoders")
struct AuthTokenEncodingTests {
    /// Strings that exercise every escaping rule and the UTF-16 ordering corner (RFC 8785 §3.2).
    static let hostile = [
        "https://api.example",
        "",
        #"quote " and backslash \ and slash /"#,
        "controls \u{0} \u{1} \u{8} \u{9} \u{A} \u{C} \u{D} \u{1F} \u{7F}",
        "line\u{2028}separator\u{2029}",
        "non-ASCII é ü 中文 \u{FFFF} \u{E000}",
        "emoji 😀 𝄞",
        #"</script><script>alert("x")</script>"#,
        String(repeating: "long ", count: 200),
    ]

    static func okpKey(keyID: String? = nil, use: String? = "sig") throws -> JWK {
        JWK(publicKey: try Ed25519.PrivateKey().publicKey, keyID: keyID, use: use)
    }

    static func claims(_ text: String, key: JWK) -> AuthTokenClaims {
        AuthTokenClaims(
            issuer: "https://ma.example/" + text, audience: text, subject: "aauth:" + text + "@agent.example",
            confirmationKey: key, scope: "read " + text, jwtID: "jti-" + text, issuedAt: 1_780_000_000,
            expiresAt: 1_780_000_300, missionS256: "m-" + text)
    }

    @Test("claims encode exactly as the generic canonical encoder would", arguments: hostile)
    func claimsMatchGenericEncoder(text: String) throws {
        let keys = [
            try Self.okpKey(), try Self.okpKey(keyID: text, use: nil),
            JWK(publicKey: try P256.Signing.PrivateKey().publicKey, keyID: text),
        ]
        for key in keys {
            let claims = Self.claims(text, key: key)
            let direct = claims.encoded()
            #expect(direct == (try CanonicalJSON.encode(.object(claims.members))))
            // And it is a JSON text that parses back to the very same claims.
            #expect(try JSONValue.parse(direct) == .object(claims.members))
        }
    }

    @Test("the object writer nests, separates and closes like the generic encoder")
    func objectWriterShapes() throws {
        #expect(CanonicalObjectWriter().finish() == Array("{}".utf8))
        var object = CanonicalObjectWriter(capacity: 1)
        object.member("a", object: { _ in })
        object.member("b", base64URL: [0xFB, 0xFF])
        object.member("c", object: { inner in
            inner.member("d", integer: -7)
            inner.member("e", object: { $0.member("f", string: "\u{1}\"") })
        })
        object.member("g", integer: 0)
        let expected: JSONValue = [
            "a": .object([:]), "b": "-_8", "c": ["d": -7, "e": ["f": "\u{1}\""]], "g": 0,
        ]
        #expect(object.finish() == (try CanonicalJSON.encode(expected)))
    }

    @Test("the claim names are the issued token's, in canonical order")
    func claimNamesInOrder() throws {
        let claims = Self.claims("x", key: try Self.okpKey())
        let text = String(decoding: claims.encoded(), as: UTF8.self)
        let names = [
            "aud", "cnf", "dwk", "exp", "iat", "iss", "jti", "mission", "mission_s256", "ps", "scope", "sub",
        ]
        let positions = names.map { text.range(of: "\"\($0)\":")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(text.contains(#""mission":{"auth":"https://ma.example/x","s256":"m-x"}"#))
        #expect(text.contains(#""exp":1780000300,"iat":1780000000"#))
    }

    @Test("JWK members written in place equal the dictionary form", arguments: hostile)
    func jwkMatchesDictionaryForm(keyID: String) throws {
        let ec = try P256.Signing.PrivateKey().publicKey
        let parsedWithoutAlgorithm = try JWK(
            jsonData: Array(#"{"kty":"OKP","crv":"Ed25519","x":"\#(JWKTests.okpX)"}"#.utf8))
        for jwk in [
            try Self.okpKey(keyID: keyID), try Self.okpKey(keyID: keyID, use: nil), JWK(publicKey: ec, keyID: keyID),
            JWK(publicKey: ec, keyID: nil, use: nil), parsedWithoutAlgorithm,
        ] {
            #expect(jwk.jsonData == (try CanonicalJSON.encode(jwk.jsonValue)))
            #expect(try JWK(jsonData: jwk.jsonData) == jwk)
        }
    }

    @Test(
        "integers are written as String(_:) spells them",
        arguments: [Int64.min, Int64.min + 1, -1_780_000_000, -10, -9, -1, 0, 1, 9, 10, 99, 100, 1_780_000_300, Int64.max]
    )
    func integers(value: Int64) throws {
        var output: [UInt8] = [UInt8(ascii: "x")]
        CanonicalJSON.writeInteger(value, to: &output)
        #expect(output == [UInt8(ascii: "x")] + Array(String(value).utf8))
        #expect(try CanonicalJSON.encode(.integer(value)) == Array(String(value).utf8))
    }

    @Test("base64url appends to what is already in the buffer", arguments: 0..<8)
    func base64URLAppend(length: Int) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 251) }
        var output = Array("prefix.".utf8)
        Base64URL.append(bytes, to: &output)
        #expect(output == Array(("prefix." + Base64URL.encode(bytes)).utf8))
        #expect(Base64URL.decode(String(decoding: output.dropFirst(7), as: UTF8.self)) == bytes)
        // A non-contiguous collection takes the copying path and gives the same text.
        var lazy: [UInt8] = []
        Base64URL.append(bytes.lazy.map { $0 }, to: &lazy)
        #expect(lazy == Array(Base64URL.encode(bytes).utf8))
    }

    @Test("a JWS header with hostile typ and kid is escaped and reads back", arguments: hostile)
    func hostileHeaderValues(text: String) throws {
        let key = try Ed25519.PrivateKey()
        let compact = try JWS.sign(payload: Array("{}".utf8), key: .ed25519(key), type: text, keyID: text)
        let parts = try JWS.decodeUnverified(compact)
        #expect(parts.header.type == text && parts.header.keyID == text)
        let headerText = String(decoding: Base64URL.decode(JOSETestSupport.segment(0, of: compact)) ?? [], as: UTF8.self)
        var expected: [UInt8] = Array(#"{"alg":"Ed25519","typ":"#.utf8)
        CanonicalJSON.writeString(text, to: &expected)
        expected += Array(#","kid":"#.utf8)
        CanonicalJSON.writeString(text, to: &expected)
        expected.append(UInt8(ascii: "}"))
        #expect(headerText == String(decoding: expected, as: UTF8.self))
        #expect(try parts.verify(with: JOSEPublicKey.ed25519(key.publicKey)).payload == Array("{}".utf8))
    }

    @Test(
        "a compact JWS is exactly base64url(header).base64url(payload).base64url(Ed25519 signature)",
        arguments: [
            (String?.none, String?.none), ("aa-auth+jwt", nil), (nil, "k1"), ("aa-auth+jwt", "key-2026"),
            ("t\u{1}\"", String(repeating: "ü\u{7}", count: 900)),
        ])
    func compactTokenBytes(type: String?, keyID: String?) throws {
        let key = try Ed25519.PrivateKey()
        let payload = Array(#"{"sub":"alice","n":[1,2,3]}"#.utf8) + Array(repeating: UInt8(ascii: " "), count: 200)
        let compact = try JWS.sign(payload: payload, key: .ed25519(key), type: type, keyID: keyID)
        var header: [UInt8] = Array(#"{"alg":"Ed25519""#.utf8)
        for (name, value) in [("typ", type), ("kid", keyID)] {
            guard let value else { continue }
            header.append(UInt8(ascii: ","))
            CanonicalJSON.writeString(name, to: &header)
            header.append(UInt8(ascii: ":"))
            CanonicalJSON.writeString(value, to: &header)
        }
        header.append(UInt8(ascii: "}"))
        let signingInput = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        let signature = try key.signature(for: Array(signingInput.utf8))
        #expect(compact == signingInput + "." + Base64URL.encode(signature))
    }

    @Test("a signed auth token carries the encoded claims byte for byte")
    func signedTokenCarriesTheBytes() throws {
        let key = try Ed25519.PrivateKey()
        let signer = JWTSigner(key: .ed25519(key), keyID: "ma-1")
        let claims = Self.claims(#"a"b\c"#, key: try Self.okpKey())
        let token = try signer.sign(encodedClaims: claims.encoded(), type: "aa-auth+jwt")
        let verified = try JWS.verify(token, key: .ed25519(key.publicKey))
        #expect(verified.payload == claims.encoded())
        #expect(verified.header.type == "aa-auth+jwt" && verified.header.keyID == "ma-1")
        // The same claims through the generic path give the same token (Ed25519 is deterministic).
        #expect(try signer.sign(claims: claims.members, type: "aa-auth+jwt") == token)
    }
}
