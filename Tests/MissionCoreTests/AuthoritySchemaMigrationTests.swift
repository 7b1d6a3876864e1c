import Testing

@testable import MissionCore

@Suite("AuthoritySchema: upgrades keep every record")
struct AuthoritySchemaMigrationTests {
    @Test("version 3 folds delegation_edges into issued_tokens, one row per token, nothing lost")
    func version3KeepsTokensAndEdges() throws {
        let connection = try SQLiteConnection(path: ":memory:", mode: .readWrite)
        try SQLiteMigration.apply([AuthoritySchema.version1, AuthoritySchema.version2], on: connection)
        for (seq, jti, upstream) in [(Int64(7), "jti-a", nil), (9, "jti-b", "jti-a")] as [(Int64, String, String?)] {
            try connection.run(
                "INSERT INTO issued_tokens(jti, mission, agent, resource, scope, iat, exp, audit_seq) VALUES (?, 'm', 'ag', 'https://r.example', 'read', 100, 200, ?)",
                [.text(jti), .integer(seq)])
            try connection.run(
                "INSERT INTO delegation_edges(mission, agent, resource, jti, upstream_jti, time_ms) VALUES ('m', 'ag', 'https://r.example', ?, ?, ?)",
                [.text(jti), upstream.map { .text($0) } ?? .null, .integer(seq * 1000)])
        }
        // A token whose edge is missing (cannot happen through the authority, but an upgrade must not drop it).
        try connection.run(
            "INSERT INTO issued_tokens(jti, mission, agent, resource, scope, iat, exp, audit_seq) VALUES ('jti-c', 'm', 'ag', 'https://r.example', 'write', 300, 400, 11)"
        )

        let versions = try SQLiteMigration.apply(AuthoritySchema.migrations, on: connection)
        #expect(versions.from == 2 && versions.to == 4)
        let rows = try connection.rows(
            "SELECT audit_seq, jti, upstream_jti, time_ms, scope FROM issued_tokens WHERE mission = 'm' ORDER BY time_ms")
        let read = try rows.map { row in
            "\(try row.int64(0)) \(try row.text(1)) \(try row.optionalText(2) ?? "-") \(try row.int64(3)) \(try row.text(4))"
        }
        #expect(read == ["7 jti-a - 7000 read", "9 jti-b jti-a 9000 read", "11 jti-c - 300000 write"])
        #expect(try connection.firstRow("SELECT count(*) FROM sqlite_master WHERE name = 'delegation_edges'")?.int64(0) == 0)
    }

    @Test("version 4 drops the token table's mission index; the delegation query walks the audit index instead")
    func version4DropsTheMissionIndex() throws {
        let connection = try SQLiteConnection(path: ":memory:", mode: .readWrite)
        try SQLiteMigration.apply(
            [AuthoritySchema.version1, AuthoritySchema.version2, AuthoritySchema.version3], on: connection)
        #expect(try connection.firstRow("SELECT count(*) FROM sqlite_master WHERE name = 'issued_tokens_mission'")?.int64(0) == 1)
        let versions = try SQLiteMigration.apply(AuthoritySchema.migrations, on: connection)
        #expect(versions.from == 3 && versions.to == 4)
        #expect(try connection.firstRow("SELECT count(*) FROM sqlite_master WHERE name = 'issued_tokens_mission'")?.int64(0) == 0)
        // The plan starts from the audit index, never from a scan of every token.
        let plan = try connection.rows(
            """
            EXPLAIN QUERY PLAN SELECT t.agent, t.resource, t.jti, t.upstream_jti, t.time_ms
            FROM audit_events a CROSS JOIN issued_tokens t ON t.audit_seq = a.seq
            WHERE a.mission = ? ORDER BY a.seq LIMIT 10000
            """, [.text("m")]
        ).map { try $0.text(3) }
        #expect(plan.contains { $0.contains("audit_events_mission") })
        #expect(!plan.contains { $0.hasPrefix("SCAN") })
    }
}
