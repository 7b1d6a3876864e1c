import Foundation

/// Missions kept in memory for the token hot path (single process).
///
/// Every entry carries a version: the audit sequence at which it was read or written. Every
/// mission change through the facade appends an audit event in the same transaction, so a
/// higher version is always newer and a late installer can never overwrite a newer value.
/// Token issuance re-checks the state inside its write, so a stale entry can delay an agent,
/// never let a token through. `@unchecked Sendable`: `entries` is only touched under `lock`.
final class MissionCache: @unchecked Sendable {
    /// Entries kept before the cache starts over (bounds memory; misses reload from disk).
    static let capacity = 10_000

    private let lock = NSLock()
    private var entries: [String: (mission: Mission, version: Int64)] = [:]

    func mission(_ s256: String) -> Mission? { lock.withLock { entries[s256]?.mission } }

    /// Installs `mission` unless a newer version is already cached.
    func install(_ mission: Mission, version: Int64) {
        lock.withLock {
            if let existing = entries[mission.s256], existing.version > version { return }
            if entries.count >= MissionCache.capacity, entries[mission.s256] == nil { entries.removeAll() }
            entries[mission.s256] = (mission, version)
        }
    }

    func remove(_ s256: String) { _ = lock.withLock { entries.removeValue(forKey: s256) } }
}
