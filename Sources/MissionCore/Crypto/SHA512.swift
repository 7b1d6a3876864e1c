import COpenSSL

/// SHA-512 (FIPS 180-4) through OpenSSL's EVP interface; RFC 9530 `sha-512` content digests.
///
/// ```swift
/// let digest = SHA512.hash(Array("abc".utf8))   // 64 bytes
/// ```
public enum SHA512 {
    public static let byteCount = 64

    /// Fetched once per process, as `SHA256.algorithm` is.
    nonisolated(unsafe) static let algorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA512", nil) ?? EVP_sha512()

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Idle digest contexts for `Hasher` (see `EVPDigest`); a few per concurrent hashing thread.
    static let contexts = EVPContextPool(capacity: 16)

    /// A streaming hasher; feed it with `update` and read the digest once with `finalize`.
    public struct Hasher: ~Copyable {
        private var digest = EVPDigest(
            algorithm: SHA512.algorithm, outputCount: SHA512.byteCount, pool: SHA512.contexts)

        public init() {}

        public mutating func update(_ bytes: some Collection<UInt8>) { digest.update(bytes) }

        public consuming func finalize() -> [UInt8] { digest.finalize() }

        /// Writes the 64-byte digest into the start of `buffer` (at least 64 bytes) without
        /// allocating an array.
        public consuming func finalize(into buffer: UnsafeMutableRawBufferPointer) { digest.finalize(into: buffer) }
    }
}
