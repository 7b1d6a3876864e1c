import COpenSSL

/// SHA-256 for the audit chain with one reused OpenSSL context: `hash = SHA-256(previousHash ‖
/// canonicalBytes)` for every event appended or verified.
///
/// Creating a context per event (`EVP_MD_CTX_new`, an implicit algorithm fetch in
/// `EVP_DigestInit_ex(…, EVP_sha256(), …)`, `EVP_MD_CTX_free`) cost more than hashing the ~250
/// bytes of an event. Here the algorithm is fetched once per process (`SHA256.algorithm`) and the
/// context is only re-initialised. Not copyable and not `Sendable`: one owner, one thread at a time.
struct AuditHasher: ~Copyable {
    private let context: OpaquePointer

    init() {
        // EVP_MD_CTX_new fails only when memory is exhausted; that is a crash anyway.
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new: out of memory") }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Writes `SHA-256(first ‖ second)` into `digest` (32 bytes).
    func hash(
        _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, into digest: UnsafeMutableRawBufferPointer
    ) {
        precondition(digest.count >= SHA256.byteCount, "a SHA-256 digest needs 32 bytes")
        precondition(EVP_DigestInit_ex(context, SHA256.algorithm, nil) == 1, "EVP_DigestInit_ex(sha256)")
        _ = EVP_DigestUpdate(context, first.baseAddress, first.count)
        _ = EVP_DigestUpdate(context, second.baseAddress, second.count)
        var length: UInt32 = 0
        _ = EVP_DigestFinal_ex(context, digest.baseAddress?.assumingMemoryBound(to: UInt8.self), &length)
    }

    /// `SHA-256(previousHash ‖ canonical)` as a new array.
    func hash(_ previousHash: [UInt8], _ canonical: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: SHA256.byteCount)
        previousHash.withUnsafeBytes { first in
            canonical.withUnsafeBytes { second in
                digest.withUnsafeMutableBytes { hash(first, second, into: $0) }
            }
        }
        return digest
    }
}
