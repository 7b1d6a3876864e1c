import Foundation
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

    @Test func rawBufferUpdatesMatchArrays() {
        var hasher = SHA256.Hasher()
        hasher.update(Array("ab".utf8))
        withUnsafeBytes(of: UInt8(ascii: "c")) { hasher.update($0) }
        withUnsafeBytes(of: UInt16(0x6465).bigEndian) { hasher.update($0) }
        #expect(hasher.finalize() == SHA256.hash(Array("abcde".utf8)))
    }

    @Test func sha512KnownAnswer() {
        // FIPS 180-2 Appendix C.1.
        #expect(
            SHA512.hash(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined()
                == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
    }
}

@Suite struct RandomPoolTests {
    @Test func drawsAreFreshAcrossBlockBoundaries() {
        let pool = RandomPool(blockSize: 64)
        var seen = Set<[UInt8]>()
        for _ in 0..<200 {
            let drawn = pool.bytes(count: 16)
            #expect(drawn.count == 16)
            #expect(seen.insert(drawn).inserted)
        }
        // A draw that does not fit what is left of the block starts a new block.
        #expect(pool.bytes(count: 60).count == 60)
        #expect(pool.bytes(count: 60).count == 60)
    }

    @Test func largeAndEmptyDrawsBypassThePool() {
        let pool = RandomPool(blockSize: 64)
        #expect(pool.bytes(count: 0).isEmpty)
        let large = pool.bytes(count: RandomPool.largestDraw + 1)
        #expect(large.count == RandomPool.largestDraw + 1)
        #expect(large.contains { $0 != 0 })
    }

    @Test func concurrentDrawsNeverRepeat() async {
        let pool = RandomPool(blockSize: 256)
        let batches = await withTaskGroup(of: [[UInt8]].self) { group in
            for _ in 0..<8 { group.addTask { (0..<500).map { _ in pool.bytes(count: 16) } } }
            return await group.reduce(into: []) { $0.append(contentsOf: $1) }
        }
        #expect(batches.count == 4000)
        #expect(Set(batches).count == 4000)
    }

    @Test func systemSourceGivesDistinctIdentifiersAndFullSecrets() {
        let source = SystemRandomSource()
        #expect(source.identifier().count == 22)
        #expect(source.identifier() != source.identifier())
        #expect(source.bytes(count: 32).count == 32)
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

/// `SHA256.Hasher` and `SHA512.Hasher` take their OpenSSL contexts from a pool: a context must
/// carry nothing from its previous user, whether that user finished or abandoned its digest.
@Suite struct DigestContextReuseTests {
    @Test func abandonedHashersDoNotLeakStateIntoTheNext() {
        for round in 0..<40 {
            do {
                var abandoned = SHA256.Hasher()
                abandoned.update(Array("left half-way \(round)".utf8))
                var abandoned512 = SHA512.Hasher()
                abandoned512.update(Array("left half-way \(round)".utf8))
            }
            #expect(Base64URL.encode(SHA256.hash(Array("abc".utf8))) == "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0")
            #expect(SHA512.hash(Array("abc".utf8)).prefix(4) == [0xdd, 0xaf, 0x35, 0xa1])
        }
    }

    @Test func finalizeIntoWritesTheSameDigest() {
        for length in [0, 1, 55, 56, 64, 1_000] {
            let input = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            var bytes = [UInt8](repeating: 0xee, count: 40)
            bytes.withUnsafeMutableBytes { buffer in
                var hasher = SHA256.Hasher()
                hasher.update(input)
                hasher.finalize(into: buffer)
            }
            #expect(Array(bytes.prefix(32)) == SHA256.hash(input))
            #expect(bytes.suffix(8).allSatisfy { $0 == 0xee })  // nothing written past the digest

            var wide = [UInt8](repeating: 0, count: 64)
            wide.withUnsafeMutableBytes { buffer in
                var hasher = SHA512.Hasher()
                hasher.update(input)
                hasher.finalize(into: buffer)
            }
            #expect(wide == SHA512.hash(input))
        }
    }

    @Test func concurrentHashersEachGetTheirOwnContext() async {
        let expected = (0..<64).map { SHA256.hash(Array("message \($0)".utf8)) }
        let results = await withTaskGroup(of: (Int, [UInt8]).self) { group in
            for index in 0..<64 {
                group.addTask {
                    var hasher = SHA256.Hasher()
                    for byte in Array("message \(index)".utf8) { hasher.update([byte]) }
                    return (index, hasher.finalize())
                }
            }
            var results = [[UInt8]](repeating: [], count: 64)
            for await (index, digest) in group { results[index] = digest }
            return results
        }
        #expect(results == expected)
    }
}

/// `Base64.encode` writes straight into the string's storage; it must give exactly what the
/// array path (`append`, used by JWS) and an independent RFC 4648 encoder give, for every length.
@Suite struct Base64EncodingEquivalenceTests {
    /// RFC 4648 §4 and §5 the slow way: bits in, six at a time out.
    private static func reference(_ bytes: [UInt8], url: Bool, pad: Bool) -> String {
        let alphabet = Array(
            (url
                ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"))
        let bits = bytes.flatMap { byte in (0..<8).map { byte >> (7 - $0) & 1 } }
        var output = ""
        var index = 0
        while index < bits.count {
            var value = 0
            for offset in 0..<6 { value = value << 1 | Int(index + offset < bits.count ? bits[index + offset] : 0) }
            output.append(alphabet[value])
            index += 6
        }
        while pad && output.count % 4 != 0 { output.append("=") }
        return output
    }

    @Test func everyLengthMatchesTheReferenceAndTheArrayPath() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for length in 0...260 {
            let bytes = (0..<length).map { _ -> UInt8 in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 56)
            }
            let padded = Base64.encode(bytes)
            let unpadded = Base64URL.encode(bytes)
            #expect(padded == Self.reference(bytes, url: false, pad: true))
            #expect(unpadded == Self.reference(bytes, url: true, pad: false))
            #expect(padded.utf8.count == Base64.encodedCount(length, pad: true))
            #expect(unpadded.utf8.count == Base64.encodedCount(length, pad: false))
            var appended: [UInt8] = Array("prefix.".utf8)
            Base64URL.append(bytes, to: &appended)
            #expect(String(decoding: appended, as: UTF8.self) == "prefix." + unpadded)
            // A collection without contiguous storage takes the copying path.
            #expect(Base64URL.encode(bytes.lazy.map { $0 }) == unpadded)
            #expect(Base64URL.decode(unpadded) == bytes)
        }
    }
}
