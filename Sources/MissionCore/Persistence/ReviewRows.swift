import Foundation

/// The `reviews` table.
enum ReviewRows {
    static func save(_ review: Review, on db: SQLiteConnection) throws {
        let missionS256: SQLiteValue
        if case .accessRequest(let s256, _, _) = review.subject {
            missionS256 = .text(s256)
        } else {
            missionS256 = .null
        }
        try db.run(
            """
            INSERT INTO reviews(id, kind, owner, mission, request, state, created_ms, expires_ms, decided_ms,
                decision, rounds, delivered, last_poll_ms, record)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET state = excluded.state, decided_ms = excluded.decided_ms,
                decision = excluded.decision, rounds = excluded.rounds, delivered = excluded.delivered,
                last_poll_ms = excluded.last_poll_ms, record = excluded.record
            """,
            [
                .text(review.id), .text(review.kind.rawValue), .text(review.owner), missionS256,
                .text(try RecordCoding.encode(review.subject)), .text(review.state.rawValue),
                .integer(RecordCoding.milliseconds(review.createdAt)),
                .integer(RecordCoding.milliseconds(review.expiresAt)),
                review.decidedAt.map { .integer(RecordCoding.milliseconds($0)) } ?? .null,
                try review.decision.map { .text(try RecordCoding.encode($0)) } ?? .null,
                .text(try RecordCoding.encode(review.rounds)), .int(review.deliveredAt == nil ? 0 : 1),
                review.lastPolledAt.map { .integer(RecordCoding.milliseconds($0)) } ?? .null,
                .text(try RecordCoding.encode(review)),
            ])
    }

    static func load(_ id: String, on db: SQLiteConnection) throws -> Review? {
        guard let row = try db.firstRow("SELECT record FROM reviews WHERE id = ?", [.text(id)]) else { return nil }
        return try decode(row.text(0), id: id)
    }

    static func decode(_ record: String, id: String) throws -> Review {
        let review = try RecordCoding.decode(Review.self, from: record, what: "review \(id)")
        guard review.id == id else { throw AuthorityError.corruptRecord("review \(id): record names another id") }
        return review
    }
}
