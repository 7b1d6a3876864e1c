import COpenSSL

/// The one streaming EVP digest both `SHA256.Hasher` and `SHA512.Hasher` are built on.
struct EVPDigest: ~Copyable {
    private let context: OpaquePointer
    private let outputCount: Int

    /// `algorithm` is an `EVP_MD` such as `EVP_sha256()`; `outputCount` its digest length.
    init(algorithm: OpaquePointer?, outputCount: Int) {
        // EVP_MD_CTX_new fails only when memory is exhausted; that is a crash anyway.
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new: out of memory") }
        // Built-in digests cannot fail to initialise short of a broken OpenSSL installation.
        precondition(EVP_DigestInit_ex(context, algorithm, nil) == 1, "EVP_DigestInit_ex failed")
        self.context = context
        self.outputCount = outputCount
    }

    mutating func update(_ bytes: some Collection<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            _ = EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
        }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBufferPointer { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        }
    }

    mutating func update(_ buffer: UnsafeRawBufferPointer) {
        _ = EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
    }

    consuming func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: outputCount)
        var length: UInt32 = 0
        _ = EVP_DigestFinal_ex(context, &digest, &length)
        return digest
    }

    deinit { EVP_MD_CTX_free(context) }
}
