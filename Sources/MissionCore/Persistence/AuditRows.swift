import CSQLite
import Foundation

/// The `audit_events` table: one row per `AuditEvent`, every hashed member in its own column.
enum AuditRows {
    static let columns =
        "seq, time_ms, mission, actor, actor_role, action, resource, scopes, decision, reason, token_id, details, prev_hash, hash"

    /// Built once: the SQL text is also the statement-cache key, hashed on every append.
    static let insertSQL =
        "INSERT INTO audit_events(\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

    /// Inserts `event`, binding each column in place (no argument array, no JSON tree: this runs
    /// for every event appended). `scopes` and `details` are stored in their canonical JSON form,
    /// the very bytes that are hashed, so verification can hash the stored text as it is.
    static func insert(_ event: AuditEvent, on db: SQLiteConnection) throws {
        var scratch = AuditCanonicalForm.Writer()
        try insert(event, on: db, scratch: &scratch)
    }

    /// `insert` with a caller's buffer for the scopes' JSON (the appender's, whose bytes are no
    /// longer needed once the event is hashed), instead of a new one per event.
    static func insert(_ event: AuditEvent, on db: SQLiteConnection, scratch writer: inout AuditCanonicalForm.Writer)
        throws
    {
        try db.withStatement(insertSQL) { statement in
            try statement.bind(.integer(event.sequence), at: 1)
            try statement.bind(.integer(event.timeMilliseconds), at: 2)
            try statement.bind(text(event.missionS256), at: 3)
            try statement.bind(.text(event.actor), at: 4)
            try statement.bind(.text(event.actorRole.rawValue), at: 5)
            try statement.bind(.text(event.action.rawValue), at: 6)
            try statement.bind(text(event.resource), at: 7)
            if let scopes = event.scopes {
                writer.output.removeAll(keepingCapacity: true)
                writer.strings(scopes)
                try statement.bindText(utf8: writer.output, at: 8)
            }
            try statement.bind(text(event.decision), at: 9)
            try statement.bind(text(event.reason), at: 10)
            try statement.bind(text(event.tokenID), at: 11)
            if !event.details.isEmpty {
                try statement.bindText(utf8: CanonicalJSON.encodeStrings(event.details), at: 12)
            }
            try statement.bind(.blob(event.previousHash), at: 13)
            try statement.bind(.blob(event.hash), at: 14)
            while try statement.step() {}
        }
    }

    /// The newest stored sequence (0 for an empty trail): one seek on the INTEGER PRIMARY KEY,
    /// read from the statement without copying a row.
    static func newestSequence(on db: SQLiteConnection) throws -> Int64 {
        try db.withStatement("SELECT seq FROM audit_events ORDER BY seq DESC LIMIT 1") { statement in
            guard try statement.step() else { return 0 }
            guard statement.columnType(at: 0) == SQLITE_INTEGER else {
                throw SQLiteError.columnType(index: 0, expected: "integer", actual: statement.value(at: 0).typeName)
            }
            return statement.columnInt64(at: 0)
        }
    }

    static func lastCheckpoint(on db: SQLiteConnection) throws -> AuditCheckpoint? {
        guard let row = try db.firstRow("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1") else {
            return nil
        }
        return AuditCheckpoint(sequence: try row.int64(0), hash: try row.blob(1))
    }

    /// Decodes a row selected with `columns`.
    static func event(from row: SQLiteRow) throws -> AuditEvent {
        guard let role = ActorRole(rawValue: try row.text(4)), let action = AuditAction(rawValue: try row.text(5))
        else { throw AuthorityError.corruptRecord("audit event \(try row.int64(0)): unknown role or action") }
        return AuditEvent(
            sequence: try row.int64(0), timeMilliseconds: try row.int64(1), missionS256: try row.optionalText(2),
            actor: try row.text(3), actorRole: role, action: action, resource: try row.optionalText(6),
            scopes: try row.optionalText(7).map(decodeStrings), decision: try row.optionalText(8),
            reason: try row.optionalText(9), tokenID: try row.optionalText(10),
            details: try row.optionalText(11).map(decodeDetails) ?? [:],
            previousHash: try row.blob(12), hash: try row.blob(13))
    }

    private static func text(_ value: String?) -> SQLiteValue { value.map { .text($0) } ?? .null }

    static func encodeStrings(_ values: [String]) -> String {
        String(decoding: CanonicalValue.strings(values).bytes, as: UTF8.self)
    }

    static func encodeDetails(_ details: [String: String]) -> String {
        String(decoding: CanonicalJSON.encodeStrings(details), as: UTF8.self)
    }

    // JSONValue's parser rather than JSONDecoder: these run for every row a verification reads.
    static func decodeStrings(_ text: String) throws -> [String] {
        guard let items = (try? JSONValue.parse(Array(text.utf8)))?.arrayValue else {
            throw AuthorityError.corruptRecord("audit scopes")
        }
        return try items.map { item in
            guard let string = item.stringValue else { throw AuthorityError.corruptRecord("audit scopes") }
            return string
        }
    }

    static func decodeDetails(_ text: String) throws -> [String: String] {
        guard let members = (try? JSONValue.parse(Array(text.utf8)))?.objectValue else {
            throw AuthorityError.corruptRecord("audit details")
        }
        return try members.mapValues { value in
            guard let string = value.stringValue else { throw AuthorityError.corruptRecord("audit details") }
            return string
        }
    }
}
