import COpenSSL

/// SHA-256 (FIPS 180-4) through OpenSSL's EVP interface.
///
/// ```swift
/// let digest = SHA256.hash(Array("abc".utf8))   // 32 bytes
/// ```
public enum SHA256 {
    public static let byteCount = 32

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// A streaming hasher; feed it with `update` and read the digest once with `finalize`.
    public struct Hasher: ~Copyable {
        private var digest = EVPDigest(algorithm: EVP_sha256(), outputCount: SHA256.byteCount)

        public init() {}

        public mutating func update(_ bytes: some Collection<UInt8>) { digest.update(bytes) }

        public consuming func finalize() -> [UInt8] { digest.finalize() }
    }
}
