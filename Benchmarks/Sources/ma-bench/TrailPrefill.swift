import BenchSQLite
import BenchTrail
import Foundation
import MissionCore

/// `ma-bench prefill-trail --data-dir DIR --events N`: appends N synthetic `access.granted` events to the audit
/// trail of a stopped server's database, chained from its current head, so audit reads are measured against a
/// large trail (Docs/Performance.md). The events spread over 1,000 synthetic missions; the chain stays valid
/// (`maserver audit verify` passes). Bulk insert with `synchronous = OFF` in one transaction: setup, not load.
enum TrailPrefill {
    static func run(dataDirectory: String, events: Int) throws(BenchError) {
        var handle: OpaquePointer?
        guard sqlite3_open(dataDirectory + "/ma.sqlite", &handle) == SQLITE_OK, let db = handle else {
            throw .setup("cannot open \(dataDirectory)/ma.sqlite")
        }
        defer { sqlite3_close(db) }
        var chain = AuditChain(after: try head(of: db))
        guard sqlite3_exec(db, "PRAGMA synchronous = OFF; BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK else {
            throw .setup(String(cString: sqlite3_errmsg(db)))
        }
        let missions = (0..<1_000).map { Base64URL.encode(SHA256.hash(Array("ma-bench trail mission \($0)".utf8))) }
        do {
            try TrailWriter.append(
                0..<events, into: db, chain: &chain, missions: missions,
                start: Date().addingTimeInterval(-Double(events) / 1000 - 60), resource: "https://api.bench.example",
                actor: { "ma-bench-trail-agent-\($0 % 97)" }, tokenID: { "trail-\($0)" })
        } catch {
            throw .setup(error.description)
        }
        guard sqlite3_exec(db, "COMMIT", nil, nil, nil) == SQLITE_OK else {
            throw .setup(String(cString: sqlite3_errmsg(db)))
        }
    }

    /// The last stored event's sequence and hash (genesis for an empty trail).
    private static func head(of db: OpaquePointer) throws(BenchError) -> AuditCheckpoint {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1", -1, &statement, nil)
            == SQLITE_OK, let select = statement
        else { throw .setup(String(cString: sqlite3_errmsg(db))) }
        defer { sqlite3_finalize(select) }
        guard sqlite3_step(select) == SQLITE_ROW else { return .genesis }
        let sequence = sqlite3_column_int64(select, 0)
        let count = Int(sqlite3_column_bytes(select, 1))
        guard count == 32, let bytes = sqlite3_column_blob(select, 1) else { throw .setup("a stored hash is not 32 bytes") }
        return AuditCheckpoint(sequence: sequence, hash: Array(UnsafeRawBufferPointer(start: bytes, count: count)))
    }
}
