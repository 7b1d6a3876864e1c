import COpenSSL

/// SHA-256 (FIPS 180-4) through OpenSSL's EVP interface.
///
/// ```swift
/// let digest = SHA256.hash(Array("abc".utf8))   // 32 bytes
/// ```
public enum SHA256 {
    public static let byteCount = 32

    /// Fetched once per process: "explicit fetching … avoids the overhead of implicit fetches"
    /// (OpenSSL 3 crypto(7)); `EVP_sha256()` made every `EVP_DigestInit_ex` look the algorithm up
    /// again, under the provider store's lock. An `EVP_MD` is immutable and shared by threads. A
    /// fetch failure (no default provider) falls back to the built-in descriptor.
    nonisolated(unsafe) static let algorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil) ?? EVP_sha256()

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
            algorithm: SHA256.algorithm, outputCount: SHA256.byteCount, pool: SHA256.contexts)

        public init() {}

        public mutating func update(_ bytes: some Collection<UInt8>) { digest.update(bytes) }

        /// Feeds raw memory, e.g. a fixed-width integer's bytes, without building an array.
        public mutating func update(_ buffer: UnsafeRawBufferPointer) { digest.update(buffer) }

        public consuming func finalize() -> [UInt8] { digest.finalize() }

        /// Writes the 32-byte digest into the start of `buffer` (at least 32 bytes) without
        /// allocating an array.
        public consuming func finalize(into buffer: UnsafeMutableRawBufferPointer) { digest.finalize(into: buffer) }
    }
}
