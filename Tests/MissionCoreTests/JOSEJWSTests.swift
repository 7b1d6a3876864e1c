import Testing
@testable import MissionCore

@Suite struct JWSTests {
    // RFC 8037 §A.4.
    static let rfc8037JWS =
        "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
    // Made with python `cryptography` 48.0.0 by the P256Tests key (d = c9afa9d8…).
    static let pythonES256 =
        "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJweSIsIm4iOjF9.yg87HPcmdhHLbEISClpBAT__fIMnE5aArMHoOFdkvW2iCi1q425kyG40_kiFzE3TyBCCh2WLJvazWPQ5zo9vqQ"

    static func ed25519() throws -> (JOSEPrivateKey, JOSEPublicKey) {
        let key = JOSEPrivateKey.ed25519(try Ed25519.PrivateKey())
        return (key, key.publicKey)
    }

    static func es256() throws -> (JOSEPrivateKey, JOSEPublicKey) {
        let key = JOSEPrivateKey.p256(try P256.Signing.PrivateKey())
        return (key, key.publicKey)
    }

    @Test func rfc8037Example() throws {
        let key = try JOSETestSupport.rfc8037Key()
        let verified = try JWS.verify(Self.rfc8037JWS, key: .ed25519(key.publicKey))
        #expect(verified.payload == Array("Example of Ed25519 signing".utf8))
        #expect(verified.header.algorithm == .ed25519 && verified.header.algorithmName == "EdDSA")
        // Ed25519 is deterministic: our signature over the same signing input is the RFC's.
        let signature = try key.signature(for: Array("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc".utf8))
        #expect(Base64URL.encode(signature) == JOSETestSupport.segment(2, of: Self.rfc8037JWS))
        #expect(throws: JOSEError.unsupportedAlgorithm("EdDSA")) {
            try JWS.verify(
                Self.rfc8037JWS, key: .ed25519(key.publicKey), options: JWS.Options(acceptsLegacyEdDSA: false))
        }
    }

    @Test func pythonES256Interop() throws {
        let publicKey = try P256Tests.publicKey()
        let verified = try JWS.verify(Self.pythonES256, key: .p256(publicKey))
        #expect(try JSONValue.parse(verified.payload) == ["iss": "py", "n": 1])
        #expect(verified.header.type == "JWT")
    }

    @Test(arguments: ["ed25519", "es256"])
    func signVerifyRoundTripAndHeaderOrder(algorithm: String) throws {
        let (key, publicKey) = algorithm == "ed25519" ? try Self.ed25519() : try Self.es256()
        let compact = try JWS.sign(payload: Array("payload".utf8), key: key, type: "aa-auth+jwt", keyID: "k1")
        let header = String(decoding: Base64URL.decode(JOSETestSupport.segment(0, of: compact)) ?? [], as: UTF8.self)
        #expect(header == #"{"alg":"\#(key.algorithm.rawValue)","typ":"aa-auth+jwt","kid":"k1"}"#)
        let verified = try JWS.verify(compact, key: publicKey)
        #expect(verified.payload == Array("payload".utf8))
        #expect(verified.header.keyID == "k1")
        #expect(try JWS.decodeUnverified(compact).verify(with: publicKey.jwk()).payload == verified.payload)
    }

    @Test(arguments: ["ed25519", "es256"])
    func tamperingFails(algorithm: String) throws {
        let (key, publicKey) = algorithm == "ed25519" ? try Self.ed25519() : try Self.es256()
        let compact = try JWS.sign(payload: Array(#"{"sub":"alice"}"#.utf8), key: key, keyID: "k1")
        let alg = key.algorithm.rawValue
        // Header changed (still valid JSON, same alg).
        let otherHeader = Base64URL.encode(Array(#"{"alg":"\#(alg)","kid":"k2"}"#.utf8))
        #expect(throws: JOSEError.badSignature) {
            try JWS.verify(JOSETestSupport.replacing(segment: 0, of: compact, with: otherHeader), key: publicKey)
        }
        // One payload bit flipped.
        let payload = try #require(Base64URL.decode(JOSETestSupport.segment(1, of: compact)))
        let flippedPayload = Base64URL.encode(flippingBit(payload, at: 3, bit: 0x20))
        #expect(throws: JOSEError.badSignature) {
            try JWS.verify(JOSETestSupport.replacing(segment: 1, of: compact, with: flippedPayload), key: publicKey)
        }
        // One signature bit flipped, at both ends.
        let signature = try #require(Base64URL.decode(JOSETestSupport.segment(2, of: compact)))
        for index in [0, 63] {
            let flipped = Base64URL.encode(flippingBit(signature, at: index))
            #expect(throws: JOSEError.badSignature) {
                try JWS.verify(JOSETestSupport.replacing(segment: 2, of: compact, with: flipped), key: publicKey)
            }
        }
        // Truncated, extended and empty signatures.
        for bad in [Array(signature.dropLast()), signature + [0], []] {
            #expect(throws: JOSEError.badSignature) {
                try JWS.verify(
                    JOSETestSupport.replacing(segment: 2, of: compact, with: Base64URL.encode(bad)), key: publicKey)
            }
        }
        // Another key of the same type.
        let (_, otherPublic) = algorithm == "ed25519" ? try Self.ed25519() : try Self.es256()
        #expect(throws: JOSEError.badSignature) { try JWS.verify(compact, key: otherPublic) }
    }

    @Test func swappedAlgorithmIsRefused() throws {
        let (edKey, edPublic) = try Self.ed25519()
        let (esKey, esPublic) = try Self.es256()
        let edToken = try JWS.sign(payload: [1], key: edKey)
        let esToken = try JWS.sign(payload: [1], key: esKey)
        #expect(throws: JOSEError.algorithmMismatch(header: "Ed25519", key: "ES256")) {
            try JWS.verify(edToken, key: esPublic)
        }
        #expect(throws: JOSEError.algorithmMismatch(header: "ES256", key: "Ed25519")) {
            try JWS.verify(esToken, key: edPublic)
        }
        // An Ed25519 signature relabelled ES256 is refused before any crypto.
        let relabelled = JOSETestSupport.replacing(
            segment: 0, of: edToken, with: Base64URL.encode(Array(#"{"alg":"ES256"}"#.utf8)))
        #expect(throws: JOSEError.algorithmMismatch(header: "ES256", key: "Ed25519")) {
            try JWS.verify(relabelled, key: edPublic)
        }
        // A JWK with a conflicting alg cannot be built, and a JWK's alg is checked against the header.
        let jwk = edPublic.jwk()
        #expect(throws: JOSEError.algorithmMismatch(header: "ES256", key: "Ed25519")) {
            try JWS.decodeUnverified(esToken).verify(with: jwk)
        }
    }

    @Test func es256DERSignatureIsRefused() throws {
        let p256 = try P256.Signing.PrivateKey()
        let signingInput = Base64URL.encode(Array(#"{"alg":"ES256"}"#.utf8)) + "." + Base64URL.encode([1, 2, 3])
        let der = try p256.signature(for: Array(signingInput.utf8), format: .der)
        #expect(p256.publicKey.isValidSignature(der, for: Array(signingInput.utf8)))
        #expect(throws: JOSEError.badSignature) {
            try JWS.verify(signingInput + "." + Base64URL.encode(der), key: .p256(p256.publicKey))
        }
    }

    @Test(arguments: [
        "none", "HS256", "HS384", "HS512", "RS256", "PS256", "ES384", "ES512", "Ed448", "ES256K", "es256", "",
    ])
    func refusedAlgorithms(alg: String) throws {
        let (_, publicKey) = try Self.ed25519()
        let compact =
            Base64URL.encode(Array(#"{"alg":"\#(alg)"}"#.utf8)) + "." + Base64URL.encode([1]) + "."
            + Base64URL.encode([UInt8](repeating: 7, count: 64))
        #expect(throws: JOSEError.unsupportedAlgorithm(alg)) { try JWS.verify(compact, key: publicKey) }
    }

    @Test func critIsRefused() throws {
        let (key, publicKey) = try Self.ed25519()
        for crit in [#"["exp"]"#, "[]", #"["b64"]"#] {
            let compact = try JOSETestSupport.token(
                header: #"{"alg":"Ed25519","crit":\#(crit),"exp":1}"#, payload: "{}", key: key)
            #expect(throws: JOSEError.unsupportedCriticalHeader) { try JWS.verify(compact, key: publicKey) }
        }
    }

    @Test func embeddedKeysAreNeverUsed() throws {
        let (attacker, attackerPublic) = try Self.ed25519()
        let (_, legitimate) = try Self.ed25519()
        let embedded = attackerPublic.jwk().jsonString
        for member in [
            #""jwk":\#(embedded)"#, #""jku":"https://evil.example/jwks""#, #""x5u":"https://evil.example/c""#,
            #""x5c":["AAAA"]"#,
        ] {
            let compact = try JOSETestSupport.token(
                header: #"{"alg":"Ed25519",\#(member)}"#, payload: "{}", key: attacker)
            #expect(throws: JOSEError.badSignature) { try JWS.verify(compact, key: legitimate) }
        }
    }

    @Test func nonCanonicalBase64URLIsRefused() throws {
        let (key, publicKey) = try Self.ed25519()
        let compact = try JWS.sign(payload: Array("abcd".utf8), key: key)  // "YWJjZA" needs padding in base64
        let payload = JOSETestSupport.segment(1, of: compact)
        let signature = JOSETestSupport.segment(2, of: compact)
        #expect(payload == "YWJjZA")
        // Padding.
        #expect(throws: JOSEError.malformed("JWS payload is not base64url")) {
            try JWS.verify(JOSETestSupport.replacing(segment: 1, of: compact, with: payload + "=="), key: publicKey)
        }
        #expect(throws: JOSEError.malformed("JWS signature is not base64url")) {
            try JWS.verify(compact + "==", key: publicKey)
        }
        // Non-zero trailing bits: "YWJjZB" decodes to the same bytes in lenient decoders.
        #expect(throws: JOSEError.malformed("JWS payload is not base64url")) {
            try JWS.verify(JOSETestSupport.replacing(segment: 1, of: compact, with: "YWJjZB"), key: publicKey)
        }
        // 64 signature bytes fill 85 characters and 2 bits of the 86th; its 4 low bits must be
        // zero, so setting the lowest one gives a non-canonical twin of the same bytes.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var twin = Array(signature)
        let last = try #require(alphabet.firstIndex(of: twin[twin.count - 1]))
        #expect(last % 16 == 0)
        twin[twin.count - 1] = alphabet[last + 1]
        #expect(throws: JOSEError.malformed("JWS signature is not base64url")) {
            try JWS.verify(JOSETestSupport.replacing(segment: 2, of: compact, with: String(twin)), key: publicKey)
        }
        // Characters from the standard alphabet, whitespace and other bytes.
        for bad in ["YWJj+A", "YWJj/A", "YWJj ZA", "YWJj\nZA", "YWJj%A"] {
            #expect(throws: JOSEError.malformed("JWS payload is not base64url")) {
                try JWS.verify(JOSETestSupport.replacing(segment: 1, of: compact, with: bad), key: publicKey)
            }
        }
    }

    @Test func structuralErrors() throws {
        let (key, publicKey) = try Self.ed25519()
        let compact = try JWS.sign(payload: [1], key: key)
        #expect(throws: JOSEError.malformed("a compact JWS has three segments")) {
            try JWS.verify(compact + ".x", key: publicKey)
        }
        #expect(throws: JOSEError.malformed("a compact JWS has three segments")) {
            try JWS.verify(JOSETestSupport.segment(0, of: compact), key: publicKey)
        }
        #expect(throws: JOSEError.malformed("a compact JWS has three segments")) {
            try JWS.verify("a.b.c.d.e", key: publicKey)
        }
        #expect(throws: JOSEError.malformed("JWS header is not base64url")) { try JWS.verify("..", key: publicKey) }
        // Duplicate header members: Foundation would keep the last alg.
        let duplicate = try JOSETestSupport.token(header: #"{"alg":"Ed25519","alg":"none"}"#, payload: "{}", key: key)
        #expect(throws: JOSEError.malformed("duplicate member name \"alg\"")) {
            try JWS.verify(duplicate, key: publicKey)
        }
        let noAlg = try JOSETestSupport.token(header: #"{"typ":"JWT"}"#, payload: "{}", key: key)
        #expect(throws: JOSEError.malformed("JWS header has no alg")) { try JWS.verify(noAlg, key: publicKey) }
        let numericKid = try JOSETestSupport.token(header: #"{"alg":"Ed25519","kid":7}"#, payload: "{}", key: key)
        #expect(throws: JOSEError.malformed("JWS header kid is not a string")) {
            try JWS.verify(numericKid, key: publicKey)
        }
        let arrayHeader = try JOSETestSupport.token(header: "[]", payload: "{}", key: key)
        #expect(throws: JOSEError.malformed("JWS header is not a JSON object")) {
            try JWS.verify(arrayHeader, key: publicKey)
        }
    }

    @Test func sizeCapIsConfigurable() throws {
        let (key, publicKey) = try Self.ed25519()
        let compact = try JWS.sign(payload: [UInt8](repeating: 65, count: 20_000), key: key)
        #expect(throws: JOSEError.tooLarge(limit: 16 * 1024)) { try JWS.verify(compact, key: publicKey) }
        #expect(throws: JOSEError.tooLarge(limit: 100)) {
            try JWS.verify(
                try JWS.sign(payload: [UInt8](repeating: 65, count: 100), key: key), key: publicKey,
                options: JWS.Options(maxLength: 100))
        }
        let verified = try JWS.verify(compact, key: publicKey, options: JWS.Options(maxLength: 64 * 1024))
        #expect(verified.payload.count == 20_000)
    }
}
