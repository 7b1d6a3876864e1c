import COpenSSL
import Testing
@testable import MissionCore

@Suite struct SHA512Tests {
    // FIPS 180-2 Appendix C.1 and C.2, and the empty string.
    @Test(arguments: [
        (
            "abc",
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        ),
        (
            "",
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"
        ),
    ])
    func knownAnswers(input: String, expected: String) {
        #expect(SHA512.hash(Array(input.utf8)) == hex(expected))
    }

    @Test func streamingMatchesOneShot() {
        var hasher = SHA512.Hasher()
        for chunk in [
            "abcdefgh", "bcdefghi", "",
            "cdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        ] {
            hasher.update(Array(chunk.utf8))
        }
        #expect(
            hasher.finalize()
                == hex(
                    "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"
                ))
    }
}

@Suite struct Ed25519Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String, seed: String, publicKey: String, message: String, signature: String
        var testDescription: String { name }
    }

    // RFC 8032 §7.1 TEST 1, TEST 2, TEST 3.
    static let vectors = [
        Vector(
            name: "TEST 1", seed: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", message: "",
            signature:
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        Vector(
            name: "TEST 2", seed: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", message: "72",
            signature:
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
        Vector(
            name: "TEST 3", seed: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            publicKey: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", message: "af82",
            signature:
                "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        ),
    ]

    @Test(arguments: vectors)
    func rfc8032KnownAnswers(vector: Vector) throws {
        let key = try Ed25519.PrivateKey(rawRepresentation: hex(vector.seed))
        #expect(key.publicKey.rawRepresentation == hex(vector.publicKey))
        #expect(try key.rawRepresentation == hex(vector.seed))
        let signature = try key.signature(for: hex(vector.message))
        #expect(signature == hex(vector.signature))
        let publicKey = try Ed25519.PublicKey(rawRepresentation: hex(vector.publicKey))
        #expect(publicKey.isValidSignature(hex(vector.signature), for: hex(vector.message)))
    }

    @Test(arguments: vectors)
    func tamperedInputsFail(vector: Vector) throws {
        let publicKey = try Ed25519.PublicKey(rawRepresentation: hex(vector.publicKey))
        let signature = hex(vector.signature)
        let message = hex(vector.message)
        for index in [0, 31, 32, 63] {
            #expect(!publicKey.isValidSignature(flippingBit(signature, at: index), for: message))
        }
        #expect(!publicKey.isValidSignature(signature, for: message + [0]))
        #expect(!publicKey.isValidSignature(Array(signature.dropLast()), for: message))
        #expect(!publicKey.isValidSignature(signature + [0], for: message))
        #expect(!publicKey.isValidSignature([], for: message))
        let otherKey = try Ed25519.PrivateKey().publicKey
        #expect(!otherKey.isValidSignature(signature, for: message))
    }

    @Test("a key signing again and again (its contexts reused) still gives the RFC 8032 answers")
    func repeatedSigningKeepsKnownAnswers() throws {
        let keys = try Self.vectors.map { try Ed25519.PrivateKey(rawRepresentation: hex($0.seed)) }
        // Interleaved messages and keys: a reused context must carry nothing from one signature
        // into the next.
        for round in 0..<4 {
            for (index, vector) in Self.vectors.enumerated() {
                #expect(try keys[index].signature(for: hex(vector.message)) == hex(vector.signature), "round \(round)")
                let other = Array("round \(round)".utf8)
                #expect(keys[index].publicKey.isValidSignature(try keys[index].signature(for: other), for: other))
            }
        }
    }

    @Test("concurrent signers with one key each get their own correct signature")
    func concurrentSigningWithOneKey() async throws {
        let vector = Self.vectors[2]
        let key = try Ed25519.PrivateKey(rawRepresentation: hex(vector.seed))
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for task in 0..<32 {
                group.addTask {
                    var correct = true
                    for round in 0..<20 {
                        let message = Array("task \(task) round \(round)".utf8)
                        let signature = try key.signature(for: message)
                        let known = try key.signature(for: hex(vector.message))
                        correct = correct && key.publicKey.isValidSignature(signature, for: message)
                        correct = correct && known == hex(vector.signature)
                    }
                    return correct
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 32 && results.allSatisfy { $0 })
    }

    @Test("a key verifying again and again (its contexts reused) gives the right answer every time")
    func repeatedVerificationKeepsAnswers() throws {
        let keys = try Self.vectors.map { try Ed25519.PublicKey(rawRepresentation: hex($0.publicKey)) }
        // Valid, tampered and foreign signatures interleaved over the same keys: a context that
        // verified (or refused) one signature must not change the answer for the next.
        for round in 0..<4 {
            for (index, vector) in Self.vectors.enumerated() {
                let signature = hex(vector.signature)
                let message = hex(vector.message)
                #expect(keys[index].isValidSignature(signature, for: message), "round \(round)")
                #expect(!keys[index].isValidSignature(flippingBit(signature, at: 40 + round), for: message))
                #expect(keys[index].isValidSignature(signature, for: message), "round \(round)")
                let foreign = Self.vectors[(index + 1) % Self.vectors.count]
                #expect(!keys[index].isValidSignature(hex(foreign.signature), for: hex(foreign.message)))
            }
        }
    }

    @Test("concurrent verifiers with one key each get their own answer")
    func concurrentVerificationWithOneKey() async throws {
        let vector = Self.vectors[2]
        let key = try Ed25519.PublicKey(rawRepresentation: hex(vector.publicKey))
        let signature = hex(vector.signature)
        let message = hex(vector.message)
        let results = await withTaskGroup(of: Bool.self) { group in
            for task in 0..<32 {
                group.addTask {
                    var correct = true
                    for round in 0..<20 {
                        let valid = (task + round) % 3 != 0
                        let candidate = valid ? signature : flippingBit(signature, at: (task + round) % 64)
                        correct = correct && key.isValidSignature(candidate, for: message) == valid
                    }
                    return correct
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 32 && results.allSatisfy { $0 })
    }

    @Test("OpenSSL 3.0 verifies with reused contexts (the probe turns reuse on), later releases decide for themselves")
    func verificationContextProbe() {
        // 3.0 keeps no state between one-shot Ed25519 verifications; from 3.1 on the probe's answer is
        // whatever that release does, and both answers are safe.
        if OpenSSL_version_num() < 0x3010_0000 {
            #expect(EVPKey.ed25519VerifyContextsAreReusable)
        }
    }

    @Test func nonCanonicalSIsRejected() throws {
        // RFC 8032 §5.1.7 step 1: S must be below the group order L. Adding L to S of a valid
        // signature yields the same verification equation, so accepting it would make signatures
        // malleable.
        let vector = Self.vectors[0]
        let publicKey = try Ed25519.PublicKey(rawRepresentation: hex(vector.publicKey))
        let order = hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")  // L, little-endian
        var signature = hex(vector.signature)
        var carry = 0
        for index in 0..<32 {
            let sum = Int(signature[32 + index]) + Int(order[index]) + carry
            signature[32 + index] = UInt8(sum & 0xFF)
            carry = sum >> 8
        }
        #expect(carry == 0)
        #expect(!publicKey.isValidSignature(signature, for: hex(vector.message)))
    }

    @Test func rejectsWrongLengths() {
        #expect(throws: CryptoError.invalidKeyLength(expected: 32, actual: 31)) {
            try Ed25519.PrivateKey(rawRepresentation: [UInt8](repeating: 1, count: 31))
        }
        #expect(throws: CryptoError.invalidKeyLength(expected: 32, actual: 33)) {
            try Ed25519.PublicKey(rawRepresentation: [UInt8](repeating: 1, count: 33))
        }
    }

    @Test func generatedKeysSignAndVerify() throws {
        let key = try Ed25519.PrivateKey()
        let message = Array("hello".utf8)
        let signature = try key.signature(for: message)
        #expect(signature.count == 64)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(try Ed25519.PrivateKey().publicKey != key.publicKey)
    }

    @Test func pemRoundTrip() throws {
        let key = try Ed25519.PrivateKey(rawRepresentation: hex(Self.vectors[0].seed))
        let pem = try key.pemRepresentation
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let restored = try Ed25519.PrivateKey(pemRepresentation: pem)
        #expect(restored.publicKey == key.publicKey)
        #expect(try restored.signature(for: [0x72]) == key.signature(for: [0x72]))
    }

    @Test func pemImportRefusesOtherKeysAndGarbage() throws {
        let p256PEM = try P256.Signing.PrivateKey().pemRepresentation
        #expect(throws: CryptoError.wrongKeyType(expected: "Ed25519")) {
            try Ed25519.PrivateKey(pemRepresentation: p256PEM)
        }
        #expect(throws: CryptoError.self) {
            try Ed25519.PrivateKey(pemRepresentation: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        }
        #expect(throws: CryptoError.self) { try Ed25519.PrivateKey(pemRepresentation: "") }
    }

    @Test func concurrentUseOfOneKey() async throws {
        let key = try Ed25519.PrivateKey()
        let publicKey = key.publicKey
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<64 {
                group.addTask {
                    let message = Array("message \(index)".utf8)
                    guard let signature = try? key.signature(for: message) else { return false }
                    return publicKey.isValidSignature(signature, for: message)
                        && !publicKey.isValidSignature(signature, for: message + [1])
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 64 && results.allSatisfy { $0 })
    }
}

@Suite struct P256Tests {
    // Key, message and signature produced once with python `cryptography` 48.0.0:
    // ec.derive_private_key(d, SECP256R1()).sign(message, ECDSA(SHA256())).
    static let scalar = hex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721")
    static let x = "YP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Y"
    static let y = "eQP-EAi4vJmkGunpVii8ZPLxsgwtfp9Rd6PClNRGIpk"
    static let message = Array("interop message from python cryptography".utf8)
    static let derSignature = hex(
        "3046022100d361befe571cae074ffb26be0365dcea30be341312c6b8265d5ff0e8b59a647a022100e1a332a1210e55954e65bb06f3f03333ab76920c33fa1bc8603137498cb59de0"
    )
    static let rawSignature = hex(
        "d361befe571cae074ffb26be0365dcea30be341312c6b8265d5ff0e8b59a647ae1a332a1210e55954e65bb06f3f03333ab76920c33fa1bc8603137498cb59de0"
    )
    static let pythonPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgya+p2EW6dRZrXCFX
        Z7HWk05Qw9s26JsSe4piKxIPZyGhRANCAARg/tS6JVqdMclh63TGNW1owEm4kjth
        +mzmaWIuYPKftnkD/hAIuLyZpBrp6VYovGTy8bIMLX6fUXejwpTURiKZ
        -----END PRIVATE KEY-----

        """

    static func publicKey() throws -> P256.Signing.PublicKey {
        try P256.Signing.PublicKey(x: #require(Base64URL.decode(x)), y: #require(Base64URL.decode(y)))
    }

    @Test func derivesPythonPublicKey() throws {
        let key = try P256.Signing.PrivateKey(rawRepresentation: Self.scalar)
        #expect(Base64URL.encode(key.publicKey.x) == Self.x)
        #expect(Base64URL.encode(key.publicKey.y) == Self.y)
        #expect(try key.rawRepresentation == Self.scalar)
    }

    @Test func verifiesPythonSignatureInBothEncodings() throws {
        let publicKey = try Self.publicKey()
        #expect(publicKey.isValidSignature(Self.rawSignature, for: Self.message))
        #expect(publicKey.isValidSignature(Self.derSignature, for: Self.message))
        #expect(publicKey.isValidSignature(Self.rawSignature, for: Self.message, format: .raw))
        #expect(publicKey.isValidSignature(Self.derSignature, for: Self.message, format: .der))
        // Each strict format refuses the other encoding.
        #expect(!publicKey.isValidSignature(Self.derSignature, for: Self.message, format: .raw))
        #expect(!publicKey.isValidSignature(Self.rawSignature, for: Self.message, format: .der))
        #expect(ECDSASignature.raw(fromDER: Self.derSignature) == Self.rawSignature)
        #expect(ECDSASignature.der(fromRaw: Self.rawSignature) == Self.derSignature)
    }

    @Test func tamperedInputsFail() throws {
        let publicKey = try Self.publicKey()
        for index in [0, 31, 32, 63] {
            #expect(!publicKey.isValidSignature(flippingBit(Self.rawSignature, at: index), for: Self.message))
        }
        #expect(!publicKey.isValidSignature(flippingBit(Self.derSignature, at: 10), for: Self.message))
        #expect(!publicKey.isValidSignature(Self.rawSignature, for: Self.message + [0]))
        #expect(!publicKey.isValidSignature(Array(Self.rawSignature.dropLast()), for: Self.message, format: .raw))
        #expect(!publicKey.isValidSignature(Self.rawSignature + [0], for: Self.message, format: .raw))
        #expect(!publicKey.isValidSignature(Self.derSignature + [0], for: Self.message))
        #expect(!publicKey.isValidSignature([], for: Self.message))
        #expect(!publicKey.isValidSignature([UInt8](repeating: 0, count: 64), for: Self.message))
        let other = try P256.Signing.PrivateKey().publicKey
        #expect(!other.isValidSignature(Self.rawSignature, for: Self.message))
    }

    @Test func highSIsAccepted() throws {
        // ECDSA signatures are malleable: (r, n - s) verifies too. JOSE does not forbid it.
        let publicKey = try Self.publicKey()
        let s = Array(Self.rawSignature[32...])
        var negated = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for index in stride(from: 31, through: 0, by: -1) {
            var difference = Int(P256.order[index]) - Int(s[index]) - borrow
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 256 }
            negated[index] = UInt8(difference)
        }
        #expect(publicKey.isValidSignature(Array(Self.rawSignature[..<32]) + negated, for: Self.message))
    }

    @Test func signsInBothFormatsAndRoundTrips() throws {
        let key = try P256.Signing.PrivateKey()
        let raw = try key.signature(for: Self.message)
        let der = try key.signature(for: Self.message, format: .der)
        #expect(raw.count == 64)
        #expect(der.first == 0x30)
        #expect(key.publicKey.isValidSignature(raw, for: Self.message))
        #expect(key.publicKey.isValidSignature(der, for: Self.message))
        let restored = try P256.Signing.PublicKey(rawRepresentation: key.publicKey.rawRepresentation)
        #expect(restored == key.publicKey)
        #expect(try P256.Signing.PublicKey(derRepresentation: key.publicKey.derRepresentation) == key.publicKey)
        #expect(key.publicKey.x963Representation.count == 65)
    }

    @Test func pemImportOfPythonKeyAndRoundTrip() throws {
        let imported = try P256.Signing.PrivateKey(pemRepresentation: Self.pythonPEM)
        #expect(try imported.rawRepresentation == Self.scalar)
        #expect(Base64URL.encode(imported.publicKey.x) == Self.x)
        let restored = try P256.Signing.PrivateKey(pemRepresentation: imported.pemRepresentation)
        #expect(try restored.rawRepresentation == Self.scalar)
        let edPEM = try Ed25519.PrivateKey().pemRepresentation
        #expect(throws: CryptoError.wrongKeyType(expected: "P-256")) {
            try P256.Signing.PrivateKey(pemRepresentation: edPEM)
        }
    }

    @Test func rejectsPointsOffTheCurve() throws {
        let x = try #require(Base64URL.decode(Self.x))
        let y = try #require(Base64URL.decode(Self.y))
        for (badX, badY) in [
            (x, flippingBit(y, at: 31)), (flippingBit(x, at: 0), y),
            ([UInt8](repeating: 0, count: 32), [UInt8](repeating: 0, count: 32)),
        ] {
            #expect {
                try P256.Signing.PublicKey(x: badX, y: badY)
            } throws: { error in
                if case .invalidKey = error as? CryptoError { return true }
                return false
            }
        }
        #expect(throws: CryptoError.invalidKeyLength(expected: 32, actual: 31)) {
            try P256.Signing.PublicKey(x: x.dropLast(), y: y)
        }
    }

    @Test func concurrentUseOfOneKey() async throws {
        let key = try P256.Signing.PrivateKey()
        let publicKey = key.publicKey
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<64 {
                group.addTask {
                    let message = Array("message \(index)".utf8)
                    guard let signature = try? key.signature(for: message) else { return false }
                    return publicKey.isValidSignature(signature, for: message)
                        && !publicKey.isValidSignature(signature, for: message + [1])
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 64 && results.allSatisfy { $0 })
    }

    @Test func rejectsScalarsOutOfRange() {
        for scalar in [[UInt8](repeating: 0, count: 32), P256.order, [UInt8](repeating: 0xFF, count: 32)] {
            #expect(throws: CryptoError.invalidKey(reason: "P-256 scalar out of range")) {
                try P256.Signing.PrivateKey(rawRepresentation: scalar)
            }
        }
        var belowOrder = P256.order
        belowOrder[31] -= 1
        #expect(throws: Never.self) { try P256.Signing.PrivateKey(rawRepresentation: belowOrder) }
    }
}
