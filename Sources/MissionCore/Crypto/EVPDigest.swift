import COpenSSL

/// The one streaming EVP digest both `SHA256.Hasher` and `SHA512.Hasher` are built on.
struct EVPDigest: ~Copyable {
    private let context: OpaquePointer
    private let outputCount: Int

    private let pool: EVPContextPool

    /// `algorithm` is an `EVP_MD` such as `EVP_sha256()`; `outputCount` its digest length;
    /// `pool` holds idle contexts used only with this algorithm.
    ///
    /// A context comes from `pool` when one is idle: `EVP_MD_CTX_new` cost one allocation per hash
    /// (two hashes per token grant). OpenSSL 3.0 still builds the provider's digest state on every
    /// `EVP_DigestInit_ex`, so that allocation remains. Re-initialising discards whatever the
    /// context held (a finished digest, or one abandoned half-way), so a pooled context carries
    /// nothing from its previous user.
    init(algorithm: OpaquePointer?, outputCount: Int, pool: EVPContextPool) {
        // EVP_MD_CTX_new fails only when memory is exhausted; that is a crash anyway.
        guard let context = pool.take() ?? EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new: out of memory") }
        // Built-in digests cannot fail to initialise short of a broken OpenSSL installation.
        precondition(EVP_DigestInit_ex(context, algorithm, nil) == 1, "EVP_DigestInit_ex failed")
        self.context = context
        self.outputCount = outputCount
        self.pool = pool
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
        [UInt8](unsafeUninitializedCapacity: outputCount) { buffer, initialized in
            write(into: UnsafeMutableRawBufferPointer(buffer))
            initialized = outputCount
        }
    }

    /// Writes the digest into the first `outputCount` bytes of `digest`, without allocating.
    consuming func finalize(into digest: UnsafeMutableRawBufferPointer) { write(into: digest) }

    private func write(into digest: UnsafeMutableRawBufferPointer) {
        precondition(digest.count >= outputCount, "the digest buffer is too small")
        var length: UInt32 = 0
        _ = EVP_DigestFinal_ex(context, digest.baseAddress?.assumingMemoryBound(to: UInt8.self), &length)
    }

    // The context goes back to its pool (or is freed when the pool is full).
    deinit { pool.give(context) }
}
