import Testing
@testable import MissionCore

@Suite struct SHA256Tests {
    // FIPS 180-2 Appendix B.1 and B.2.
    @Test(arguments: [
        ("abc", "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"),
        ("", "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "JI1qYdIGOLjlwCaTDD5gOaM85Flk_yFn9uzt1BnbBsE"),
    ])
    func knownAnswers(input: String, expected: String) {
        #expect(Base64URL.encode(SHA256.hash(Array(input.utf8))) == expected)
    }

    @Test func streamingMatchesOneShot() {
        var hasher = SHA256.Hasher()
        hasher.update(Array("ab".utf8))
        hasher.update(Array("c".utf8))
        #expect(hasher.finalize() == SHA256.hash(Array("abc".utf8)))
    }
}

@Suite struct Base64Tests {
    // RFC 4648 §10.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
        #expect(Base64URL.decode(String(encoded.filter { $0 != "=" })) == Array(plain.utf8))
    }

    @Test func rejectsForeignAlphabetAndNonCanonicalBits() {
        #expect(Base64URL.decode("a+b/") == nil)
        #expect(Base64.decode("a-b_") == nil)
        #expect(Base64URL.decode("Zh") == nil)  // "Zg" is canonical for "f"
        #expect(Base64URL.decode("Z") == nil)
        #expect(Base64.decode("Zg===") == nil)
    }

    @Test func constantTimeEquals() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2], [1, 2, 3]))
    }
}
