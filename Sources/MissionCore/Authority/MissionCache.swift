import Foundation

/// Missions kept in memory for the token hot path (single process).
///
/// Every entry carries a version: the audit sequence at which it was read or written. Every
/// mission change through the facade appends an audit event in the same transaction, so a
/// higher version is always newer and a late installer can never overwrite a newer value.
/// Token issuance re-checks the state inside its write, so a stale entry can delay an agent,
/// never let a token through.
///
/// It also remembers s256s that were looked up and not found. Without that, another agent's
/// mission (usually cached) answered faster than a missing one (always a database read), and
/// repeated probes could tell which s256s exist (wire notes §4.3). Missions are never deleted
/// and every insert installs its mission here after the write, so an "absent" mark never
/// replaces a present mission and a present mission always replaces the mark. Marks have their
/// own bound, so probing random s256s cannot flush the real entries.
/// `@unchecked Sendable`: `entries` and `absent` are only touched under `lock`.
final class MissionCache: @unchecked Sendable {
    /// Entries kept before the cache starts over (bounds memory; misses reload from disk).
    static let capacity = 10_000
    /// "Not found" marks kept before they start over.
    static let absentCapacity = 10_000

    enum Lookup {
        case present(Mission)
        case absent
        case unknown
    }

    private let lock = NSLock()
    private var entries: [String: (mission: Mission, version: Int64)] = [:]
    private var absent: Set<String> = []

    func mission(_ s256: String) -> Mission? { lock.withLock { entries[s256]?.mission } }

    func lookup(_ s256: String) -> Lookup {
        lock.withLock {
            if let entry = entries[s256] { return .present(entry.mission) }
            return absent.contains(s256) ? .absent : .unknown
        }
    }

    /// Installs `mission` unless a newer version is already cached.
    func install(_ mission: Mission, version: Int64) {
        lock.withLock {
            absent.remove(mission.s256)
            if let existing = entries[mission.s256], existing.version > version { return }
            if entries.count >= MissionCache.capacity, entries[mission.s256] == nil { entries.removeAll() }
            entries[mission.s256] = (mission, version)
        }
    }

    /// Remembers that `s256` was not found; never overrides a cached mission.
    func installAbsent(_ s256: String) {
        lock.withLock {
            guard entries[s256] == nil else { return }
            if absent.count >= MissionCache.absentCapacity { absent.removeAll() }
            absent.insert(s256)
        }
    }

    func remove(_ s256: String) { _ = lock.withLock { entries.removeValue(forKey: s256) } }
}
