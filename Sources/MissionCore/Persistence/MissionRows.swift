import Foundation

/// The `missions` and `mission_amendments` tables.
enum MissionRows {
    /// Inserts a new mission.
    static func insert(_ mission: Mission, originReview: String?, on db: SQLiteConnection) throws {
        try db.run(
            """
            INSERT INTO missions(s256, agent, form, approved, state, envelope, created_ms, approved_ms, expires_ms,
                termination_reason, terminated_ms, summary, origin_review, record)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(mission.s256), .text(mission.agent), .text(mission.approved.form.rawValue),
                .blob(mission.approved.bytes), .text(mission.state.rawValue),
                .text(try RecordCoding.encode(mission.envelope)),
                .integer(RecordCoding.milliseconds(mission.createdAt)),
                .integer(RecordCoding.milliseconds(mission.approvedAt)),
                mission.expiresAt.map { .integer(RecordCoding.milliseconds($0)) } ?? .null,
                mission.terminationReason.map { .text($0) } ?? .null,
                mission.terminatedAt.map { .integer(RecordCoding.milliseconds($0)) } ?? .null,
                mission.summary.map { .text($0) } ?? .null,
                originReview.map { .text($0) } ?? .null,
                .text(try record(mission)),
            ])
    }

    /// Writes the mutable columns of an existing mission.
    static func update(_ mission: Mission, on db: SQLiteConnection) throws {
        try db.run(
            """
            UPDATE missions SET state = ?, termination_reason = ?, terminated_ms = ?, summary = ?, record = ?
            WHERE s256 = ?
            """,
            [
                .text(mission.state.rawValue), mission.terminationReason.map { .text($0) } ?? .null,
                mission.terminatedAt.map { .integer(RecordCoding.milliseconds($0)) } ?? .null,
                mission.summary.map { .text($0) } ?? .null, .text(try record(mission)), .text(mission.s256),
            ])
        guard db.changes == 1 else { throw AuthorityError.notFound }
    }

    static func insert(_ amendment: MissionAmendment, on db: SQLiteConnection) throws {
        try db.run(
            "INSERT INTO mission_amendments(mission, kind, sequence, body, s256, created_ms) VALUES (?, 'amendment', ?, ?, ?, ?)",
            [
                .text(amendment.missionS256), .int(amendment.sequence), .blob(amendment.canonicalBytes),
                .text(amendment.s256), .integer(RecordCoding.milliseconds(amendment.amendedAt)),
            ])
    }

    static func insert(_ update: MissionUpdate, on db: SQLiteConnection) throws {
        try db.run(
            "INSERT INTO mission_amendments(mission, kind, sequence, body, s256, created_ms) VALUES (?, 'update', ?, ?, ?, ?)",
            [
                .text(update.missionS256), .int(update.sequence), .blob(update.canonicalBytes),
                .text(update.s256), .integer(RecordCoding.milliseconds(update.acceptedAt)),
            ])
    }

    static func load(_ s256: String, on db: SQLiteConnection) throws -> Mission? {
        guard let row = try db.firstRow("SELECT approved, record FROM missions WHERE s256 = ?", [.text(s256)]) else {
            return nil
        }
        return try mission(approved: row.blob(0), record: row.text(1), s256: s256)
    }

    static func mission(approved: [UInt8], record: String, s256: String) throws -> Mission {
        let mission = try RecordCoding.decode(Mission.self, from: record, what: "mission \(s256)")
        // The served bytes are the column; the record must agree with them and with the key.
        guard mission.s256 == s256, mission.approved.bytes == approved else {
            throw AuthorityError.corruptRecord("mission \(s256): record does not match its approved bytes")
        }
        return mission
    }

    private static func record(_ mission: Mission) throws -> String { try RecordCoding.encode(mission) }
}
