import COpenSSL
import Foundation

/// Idle OpenSSL digest-sign or digest-verify contexts, each already initialised with one key.
///
/// `EVP_DigestSignInit` and `EVP_DigestVerifyInit` fetch the algorithm from the provider store
/// and build a provider context on every call (≈ 3 µs here, beside ≈ 45 µs for an Ed25519
/// signature and ≈ 125 µs for a verification). For Ed25519 (one-shot PureEdDSA, no digest state
/// kept between calls) an initialised context can serve the next operation with the same key.
/// A context in the pool is used by nobody: whoever pops it under `lock` is its only user until
/// it is pushed back, so concurrent operations never share one. (`NSLock`, like the rest of the
/// package's locks: ThreadSanitizer follows it.)
final class EVPContextPool: @unchecked Sendable {
    private var idle: [OpaquePointer] = []
    private let capacity: Int
    private let lock = NSLock()

    /// A pool that keeps at most `capacity` idle contexts; more would only hold memory.
    init(capacity: Int) {
        self.capacity = capacity
    }

    deinit {
        for context in idle { EVP_MD_CTX_free(context) }
    }

    /// An idle context, or `nil` when there is none.
    func take() -> OpaquePointer? {
        lock.withLock { idle.popLast() }
    }

    /// Hands `context` back for reuse, or frees it when the pool is full. Only a context whose
    /// last operation succeeded comes back: after a failure its state is not worth trusting.
    func give(_ context: OpaquePointer) {
        let kept = lock.withLock { () -> Bool in
            guard idle.count < capacity else { return false }
            idle.append(context)
            return true
        }
        if !kept { EVP_MD_CTX_free(context) }
    }
}
