import Foundation
import MissionCore

/// Missions' canonical representations (`Representation.mission` written by `CanonicalJSON`),
/// reused while the mission and the state it shows are unchanged.
///
/// A `GET /missions` page of 50 built a member dictionary per mission and then sorted, escaped and
/// appended the whole tree byte by byte: two thirds of the page's 1,000 µs of CPU, for bytes that
/// were mostly the same as on the previous read. The stored bytes are reused only when
/// - the mission is the same value (`Mission` is `Equatable`, so any changed member, amendment
///   or update misses), and every string in it is byte-for-byte the same (`String`'s `==` is
///   Unicode canonical equivalence, under which "é" and "e\u{301}" are equal but encode
///   differently), and
/// - its effective state at `now` is the same: that is the only input of the representation that
///   depends on the time (`state`, and `termination_reason` derived from it), so an expiry that
///   passes between two reads misses.
///
/// Bounded: past `capacity` entries or `byteBudget` stored bytes the memo starts over (a miss only
/// costs one encoding). Each entry also keeps its `Mission`, mostly the very value MissionCore's
/// decoded-row memo holds (shared storage); alone it is no larger than its representation, which
/// carries all of its text, so the memo holds at most about twice `byteBudget`.
///
/// `@unchecked Sendable`: `entries`, `storedBytes` and `hitCount` are only touched under `lock`;
/// the stored values are immutable.
final class EncodedMissionMemo: @unchecked Sendable {
    /// Entries kept before the memo starts over (the same bound as MissionCore's decoded rows).
    static let defaultCapacity = 4_096
    /// Stored representation bytes kept before the memo starts over.
    static let defaultByteBudget = 16 << 20

    private struct Entry {
        let mission: Mission
        let state: MissionState
        let bytes: [UInt8]
    }

    /// The most entries kept.
    let capacity: Int
    /// The most representation bytes kept; a larger single representation is not stored.
    let byteBudget: Int

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var storedBytes = 0
    private var hitCount = 0

    init(capacity: Int = defaultCapacity, byteBudget: Int = defaultByteBudget) {
        precondition(capacity > 0 && byteBudget > 0, "a memo needs room for one entry")
        self.capacity = capacity
        self.byteBudget = byteBudget
    }

    /// Representations served from the memo so far (for tests and diagnostics).
    var hits: Int { lock.withLock { hitCount } }

    /// Entries held now.
    var count: Int { lock.withLock { entries.count } }

    /// Representation bytes held now (at most `byteBudget`).
    var byteCount: Int { lock.withLock { storedBytes } }

    /// Exactly `CanonicalJSON.encode(Representation.mission(mission, at: now))`.
    func encoded(_ mission: Mission, at now: Date) throws(JOSEError) -> [UInt8] {
        let state = mission.effectiveState(at: now)
        let s256 = mission.s256
        // The comparison runs outside the lock: the entry is an immutable value copied out.
        if let entry = lock.withLock({ entries[s256] }), entry.state == state,
            Self.sameRepresentationInputs(entry.mission, mission)
        {
            lock.withLock { hitCount += 1 }
            return entry.bytes
        }
        let bytes = try CanonicalJSON.encode(Representation.mission(mission, at: now))
        guard bytes.count <= byteBudget else { return bytes }
        lock.withLock {
            if let old = entries[s256] {
                storedBytes -= old.bytes.count
            } else if entries.count >= capacity {
                entries.removeAll(keepingCapacity: true)
                storedBytes = 0
            }
            if storedBytes + bytes.count > byteBudget {
                entries.removeAll(keepingCapacity: true)
                storedBytes = 0
            }
            entries[s256] = Entry(mission: mission, state: state, bytes: bytes)
            storedBytes += bytes.count
        }
        return bytes
    }

    /// Whether `a` and `b` give the same representation at the same effective state: equal values
    /// whose free-text strings are also equal byte for byte. (Origins, scope tokens and hashes are
    /// ASCII by construction, and for ASCII `==` is byte equality; `approved` is bytes.) Values
    /// read through MissionCore's decoded-row memo share their storage, so both checks mostly end
    /// at the first, identity, comparison of each buffer.
    static func sameRepresentationInputs(_ a: Mission, _ b: Mission) -> Bool {
        guard a == b else { return false }
        guard sameBytes(a.agent, b.agent), sameBytes(a.stateReason, b.stateReason), sameBytes(a.summary, b.summary)
        else { return false }
        // `==` above compared the counts of both lists.
        for (left, right) in zip(a.amendments, b.amendments) {
            guard sameBytes(left.reviewer, right.reviewer), sameBytes(left.reason, right.reason),
                sameBytes(left.missionS256, right.missionS256)
            else { return false }
        }
        for (left, right) in zip(a.updates, b.updates) {
            guard sameBytes(left.description, right.description), sameBytes(left.missionS256, right.missionS256)
            else { return false }
        }
        return true
    }

    static func sameBytes(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case (let a?, let b?): sameBytes(a, b)
        default: false
        }
    }

    /// Byte equality of two strings, without the normalization `==` applies to non-ASCII text.
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        let compared = a.utf8.withContiguousStorageIfAvailable { first in
            b.utf8.withContiguousStorageIfAvailable { second -> Bool in
                guard let left = first.baseAddress, let right = second.baseAddress else { return first.isEmpty }
                return left == right || memcmp(left, right, first.count) == 0
            }
        }
        if let compared, let compared { return compared }
        return a.utf8.elementsEqual(b.utf8)
    }
}
