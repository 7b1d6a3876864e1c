import Foundation

/// Wakes long-polling agents when their review changes: continuations keyed by review id,
/// resumed by `notify` (a decision, a question, a cancel) or by the waiter's timeout. A waiting
/// agent holds no thread and causes no database polling.
///
/// Changes are numbered (`generation`), and each review remembers the number of its latest
/// change, so a waiter that took a `mark()` before reading the review's state is woken at once by
/// a change that landed between that read and its registration: no change is ever lost in that
/// window.
///
/// `@unchecked Sendable`: all state is only touched under `lock`, and each continuation is
/// removed under it before it is resumed, so it is resumed exactly once.
final class ReviewNotifier: @unchecked Sendable {
    /// Reviews whose latest change is remembered before the memory starts over.
    static let rememberedChanges = 4_096

    private let lock = NSLock()
    private var waiters: [String: [UInt64: CheckedContinuation<Bool, Never>]] = [:]
    private var nextToken: UInt64 = 0
    /// Waits started but not yet registered.
    private var unregistered: Set<UInt64> = []
    /// Of those, the ones whose timeout or cancellation already came.
    private var firedEarly: Set<UInt64> = []
    /// Counts every change notified; a mark is a value of it.
    private var generation: UInt64 = 0
    /// Each recently changed review's latest change.
    private var lastChange: [String: UInt64] = [:]
    /// Changes up to this generation were forgotten to bound memory: a mark older than that may
    /// have missed one, so its wait returns at once (a spurious wake that makes the caller read
    /// again, never a lost change).
    private var forgottenThrough: UInt64 = 0

    /// The current point in the sequence of changes; take it before reading state.
    func mark() -> ReviewChangeMark { lock.withLock { ReviewChangeMark(generation: generation) } }

    /// Whether `reviewID` changed (or may have) after `mark`. Under `lock`.
    private func hasChanged(_ reviewID: String, since mark: ReviewChangeMark) -> Bool {
        if let latest = lastChange[reviewID] { return latest > mark.generation }
        return mark.generation < forgottenThrough
    }

    /// Returns true at once if `reviewID` changed after `mark`, else waits until it changes
    /// (true), `timeout` passes or the task is cancelled (false).
    func wait(for reviewID: String, after mark: ReviewChangeMark, timeout: Duration) async -> Bool {
        let token: UInt64? = lock.withLock {
            if hasChanged(reviewID, since: mark) { return nil }
            nextToken += 1
            unregistered.insert(nextToken)
            return nextToken
        }
        guard let token else { return true }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.resume(reviewID: reviewID, token: token)
        }
        let changed = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate = lock.withLock { () -> Bool? in
                    unregistered.remove(token)
                    let fired = firedEarly.remove(token) != nil
                    // A change between the check above and this registration still counts.
                    if hasChanged(reviewID, since: mark) { return true }
                    if fired || Task.isCancelled { return false }
                    waiters[reviewID, default: [:]][token] = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            resume(reviewID: reviewID, token: token)
        }
        timer.cancel()
        return changed
    }

    /// Records a change of `reviewID` and wakes everyone waiting on it.
    func notify(_ reviewID: String) {
        let woken = lock.withLock { () -> [UInt64: CheckedContinuation<Bool, Never>]? in
            generation += 1
            if lastChange.count >= ReviewNotifier.rememberedChanges, lastChange[reviewID] == nil {
                forgottenThrough = generation - 1
                lastChange.removeAll(keepingCapacity: true)
            }
            lastChange[reviewID] = generation
            return waiters.removeValue(forKey: reviewID)
        }
        guard let woken else { return }
        for continuation in woken.values { continuation.resume(returning: true) }
    }

    /// The number of registered waiters, for tests.
    var waiterCount: Int { lock.withLock { waiters.values.reduce(0) { $0 + $1.count } } }

    /// Ends one wait without a change (its timeout or cancellation).
    private func resume(reviewID: String, token: UInt64) {
        let continuation = lock.withLock { () -> CheckedContinuation<Bool, Never>? in
            if unregistered.contains(token) {
                firedEarly.insert(token)
                return nil
            }
            let removed = waiters[reviewID]?.removeValue(forKey: token)
            if waiters[reviewID]?.isEmpty == true { waiters[reviewID] = nil }
            return removed
        }
        continuation?.resume(returning: false)
    }
}
