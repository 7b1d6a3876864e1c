import Foundation

/// When each admin key's `last_used` was last written, so a busy key costs one write a minute,
/// not one per request. `@unchecked Sendable`: `written` is only touched under `lock`.
final class AdminKeyUseTracker: @unchecked Sendable {
    /// The least time between two `last_used` writes for one key.
    static let interval: TimeInterval = 60

    private let lock = NSLock()
    private var written: [String: Date] = [:]

    /// Whether `keyID`'s use at `now` should be written (and, if so, notes it as written).
    func shouldRecord(_ keyID: String, storedLastUse: Date?, at now: Date) -> Bool {
        lock.withLock {
            let last = [written[keyID], storedLastUse].compactMap { $0 }.max()
            if let last, now.timeIntervalSince(last) < AdminKeyUseTracker.interval { return false }
            written[keyID] = now
            return true
        }
    }
}
