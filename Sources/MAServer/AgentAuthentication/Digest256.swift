import MissionCore

/// A SHA-256 digest as four words: a cheap, fixed-size dictionary key for the replay and token caches.
struct Digest256: Hashable, Sendable {
    let a: UInt64, b: UInt64, c: UInt64, d: UInt64

    /// Wraps a 32-byte digest.
    init(_ digest: [UInt8]) {
        precondition(digest.count == SHA256.byteCount, "a SHA-256 digest has 32 bytes")
        func word(_ offset: Int) -> UInt64 { digest[offset..<offset + 8].reduce(0) { $0 << 8 | UInt64($1) } }
        (a, b, c, d) = (word(0), word(8), word(16), word(24))
    }

    /// The digest `hasher` computes, read from a stack buffer (no array per key).
    init(finalizing hasher: consuming SHA256.Hasher) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        // A closure cannot consume what it captures; an optional handed in can be taken from.
        var pending: SHA256.Hasher? = consume hasher
        withUnsafeMutableBytes(of: &words) { pending.take()?.finalize(into: $0) }
        // The tuple holds the digest's bytes in order; each word is read big-endian, as `init(_:)` does.
        (a, b, c, d) = (
            UInt64(bigEndian: words.0), UInt64(bigEndian: words.1), UInt64(bigEndian: words.2),
            UInt64(bigEndian: words.3)
        )
    }

    /// The 32 bytes, in the order they were wrapped.
    var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(SHA256.byteCount)
        for word in [a, b, c, d] { withUnsafeBytes(of: word.bigEndian) { bytes.append(contentsOf: $0) } }
        return bytes
    }

    /// One word is enough to hash: the words of a SHA-256 digest are uniform, and nobody can choose
    /// a digest to collide in a set (`a` picks the replay cache's shard, so `b` is hashed).
    func hash(into hasher: inout Hasher) { hasher.combine(b) }

    /// SHA-256 of `bytes`.
    init(hashing bytes: some Collection<UInt8>) {
        var hasher = SHA256.Hasher()
        hasher.update(bytes)
        self.init(finalizing: hasher)
    }
}
