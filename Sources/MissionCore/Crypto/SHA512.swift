import COpenSSL

/// SHA-512 (FIPS 180-4) through OpenSSL's EVP interface; RFC 9530 `sha-512` content digests.
///
/// ```swift
/// let digest = SHA512.hash(Array("abc".utf8))   // 64 bytes
/// ```
public enum SHA512 {
    public static let byteCount = 64

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// A streaming hasher; feed it with `update` and read the digest once with `finalize`.
    public struct Hasher: ~Copyable {
        private let context: OpaquePointer

        public init() {
            // EVP_MD_CTX_new fails only when memory is exhausted; that is a crash anyway.
            guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new: out of memory") }
            precondition(EVP_DigestInit_ex(context, EVP_sha512(), nil) == 1, "EVP_DigestInit_ex(sha512)")
            self.context = context
        }

        public mutating func update(_ bytes: some Collection<UInt8>) {
            let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
                _ = EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
            }
            if done == nil {
                let copy = Array(bytes)
                copy.withUnsafeBufferPointer { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
            }
        }

        public consuming func finalize() -> [UInt8] {
            var digest = [UInt8](repeating: 0, count: SHA512.byteCount)
            var length: UInt32 = 0
            _ = EVP_DigestFinal_ex(context, &digest, &length)
            return digest
        }

        deinit { EVP_MD_CTX_free(context) }
    }
}
