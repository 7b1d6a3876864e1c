import BenchSQLite
import Foundation
import MissionCore

/// Appends synthetic, correctly chained `access.granted` events straight into an MA database's
/// `audit_events` table: how mc-bench and `ma-bench prefill-trail` build a large trail in seconds
/// instead of going through the authority one durable write at a time. The caller owns the
/// transaction; the chain continues from `chain.head`.
public enum TrailWriter {
    /// What went wrong, with SQLite's message.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Inserts one event per index of `indices`: mission `missions[index % count]`, the given actor
    /// and token id, resource `resource`, scope `read`, one millisecond apart from `start`.
    public static func append(
        _ indices: Range<Int>, into db: OpaquePointer, chain: inout AuditChain, missions: [String], start: Date,
        resource: String, actor: (Int) -> String, tokenID: (Int) -> String
    ) throws(Failure) {
        var statement: OpaquePointer?
        let sql = """
            INSERT INTO audit_events(seq, time_ms, mission, actor, actor_role, action, resource, scopes, decision,
                reason, token_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?)
            """
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let insert = statement else {
            throw Failure(description: String(cString: sqlite3_errmsg(db)))
        }
        defer { sqlite3_finalize(insert) }
        let transient = bench_sqlite_transient()
        for index in indices {
            let mission = missions[index % missions.count]
            let event = chain.append(
                AuditEntry(
                    time: start + Double(index) / 1000, missionS256: mission, actor: actor(index), actorRole: .agent,
                    action: .accessGranted, resource: resource, scopes: ["read"], decision: "granted",
                    tokenID: tokenID(index)))
            sqlite3_bind_int64(insert, 1, event.sequence)
            sqlite3_bind_int64(insert, 2, event.timeMilliseconds)
            sqlite3_bind_text(insert, 3, mission, -1, transient)
            sqlite3_bind_text(insert, 4, event.actor, -1, transient)
            sqlite3_bind_text(insert, 5, event.actorRole.rawValue, -1, transient)
            sqlite3_bind_text(insert, 6, event.action.rawValue, -1, transient)
            sqlite3_bind_text(insert, 7, event.resource, -1, transient)
            sqlite3_bind_text(insert, 8, "[\"read\"]", -1, transient)
            sqlite3_bind_text(insert, 9, event.decision, -1, transient)
            sqlite3_bind_text(insert, 10, event.tokenID, -1, transient)
            event.previousHash.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 11, $0.baseAddress, 32, transient) }
            event.hash.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 12, $0.baseAddress, 32, transient) }
            guard sqlite3_step(insert) == SQLITE_DONE else {
                throw Failure(description: String(cString: sqlite3_errmsg(db)))
            }
            sqlite3_reset(insert)
        }
    }
}
