import Foundation

/// Wakes long-polling agents when their review changes: continuations keyed by review id,
/// resumed by `notify` (a decision, a question, a cancel) or by the waiter's timeout. A waiting
/// agent holds no thread and causes no database polling.
///
/// `@unchecked Sendable`: all state is only touched under `lock`, and each continuation is
/// removed under it before it is resumed, so it is resumed exactly once.
final class ReviewNotifier: @unchecked Sendable {
    private let lock = NSLock()
    private var waiters: [String: [UInt64: CheckedContinuation<Void, Never>]] = [:]
    private var nextToken: UInt64 = 0
    /// Waits started but not yet registered.
    private var unregistered: Set<UInt64> = []
    /// Of those, the ones whose timeout or cancellation already came.
    private var firedEarly: Set<UInt64> = []

    /// Returns when `reviewID` changes, after `timeout`, or when the task is cancelled.
    func wait(for reviewID: String, timeout: Duration) async {
        let token = lock.withLock {
            nextToken += 1
            unregistered.insert(nextToken)
            return nextToken
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.resume(reviewID: reviewID, token: token)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let over = lock.withLock { () -> Bool in
                    unregistered.remove(token)
                    if firedEarly.remove(token) != nil || Task.isCancelled { return true }
                    waiters[reviewID, default: [:]][token] = continuation
                    return false
                }
                if over { continuation.resume() }
            }
        } onCancel: {
            resume(reviewID: reviewID, token: token)
        }
        timer.cancel()
    }

    /// Wakes everyone waiting on `reviewID`.
    func notify(_ reviewID: String) {
        guard let woken = lock.withLock({ waiters.removeValue(forKey: reviewID) }) else { return }
        for continuation in woken.values { continuation.resume() }
    }

    /// The number of registered waiters, for tests.
    var waiterCount: Int { lock.withLock { waiters.values.reduce(0) { $0 + $1.count } } }

    private func resume(reviewID: String, token: UInt64) {
        let continuation = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            if unregistered.contains(token) {
                firedEarly.insert(token)
                return nil
            }
            let removed = waiters[reviewID]?.removeValue(forKey: token)
            if waiters[reviewID]?.isEmpty == true { waiters[reviewID] = nil }
            return removed
        }
        continuation?.resume()
    }
}
