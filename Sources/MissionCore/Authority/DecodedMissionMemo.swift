import Foundation

/// Missions decoded from their stored rows, reused while the row is byte-for-byte the same.
///
/// A mission listing reads 50 rows and decoded each `record` with `JSONDecoder` — about 60 µs a
/// row, so `GET /missions` cost twenty token grants. The `MissionCache` cannot serve a listing
/// (it may hold a stale state, which the token path re-checks but an admin must never be shown);
/// this memo can, because it keys on the row's exact contents: the decoded value is reused only
/// when `record` and `approved` equal the bytes it was decoded from, and decoding is a pure
/// function of them. A changed row misses and is decoded again.
///
/// `@unchecked Sendable`: `entries` is only touched under `lock`.
final class DecodedMissionMemo: @unchecked Sendable {
    /// Rows kept before the memo starts over (bounds memory; a miss only costs a decode).
    static let capacity = 4_096

    private struct Entry {
        let record: String
        let approved: [UInt8]
        let mission: Mission
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    /// The mission stored as (`approved`, `record`) under `s256`, checked as `MissionRows.mission` checks it.
    func mission(approved: [UInt8], record: String, s256: String) throws -> Mission {
        if let entry = lock.withLock({ entries[s256] }), Self.sameBytes(entry.record, record),
            entry.approved == approved
        {
            return entry.mission
        }
        let mission = try MissionRows.mission(approved: approved, record: record, s256: s256)
        lock.withLock {
            if entries.count >= Self.capacity, entries[s256] == nil { entries.removeAll(keepingCapacity: true) }
            entries[s256] = Entry(record: record, approved: approved, mission: mission)
        }
        return mission
    }

    /// Byte equality of two strings. `==` on `String` compares by Unicode canonical equivalence,
    /// which for text read from SQLite (not known to be normalized) walks both strings character by
    /// character; the memo needs the stored bytes to be the same, which is also the stricter test.
    private static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        let compared = a.utf8.withContiguousStorageIfAvailable { first in
            b.utf8.withContiguousStorageIfAvailable { second -> Bool in
                guard let left = first.baseAddress, let right = second.baseAddress else { return first.isEmpty }
                return memcmp(left, right, first.count) == 0
            }
        }
        if let compared, let compared { return compared }
        return a.utf8.elementsEqual(b.utf8)
    }
}
