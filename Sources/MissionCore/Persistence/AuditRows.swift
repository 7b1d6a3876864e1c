import Foundation

/// The `audit_events` table: one row per `AuditEvent`, every hashed member in its own column.
enum AuditRows {
    static let columns =
        "seq, time_ms, mission, actor, actor_role, action, resource, scopes, decision, reason, token_id, details, prev_hash, hash"

    static func insert(_ event: AuditEvent, on db: SQLiteConnection) throws {
        try db.run(
            "INSERT INTO audit_events(\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                .integer(event.sequence), .integer(event.timeMilliseconds), text(event.missionS256),
                .text(event.actor), .text(event.actorRole.rawValue), .text(event.action.rawValue),
                text(event.resource), text(event.scopes.map(encodeStrings)), text(event.decision),
                text(event.reason), text(event.tokenID),
                event.details.isEmpty ? .null : .text(encodeDetails(event.details)),
                .blob(event.previousHash), .blob(event.hash),
            ])
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
        String(decoding: CanonicalValue.object(details.mapValues { .string($0) }).bytes, as: UTF8.self)
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
