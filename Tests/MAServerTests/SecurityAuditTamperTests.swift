import Foundation
import HTTPKit
@testable import MissionCore
import Testing

@testable import MAServer

/// 1,000 random mutations of the stored audit trail (raw SQL on the database file, as an attacker
/// with file access would do): every one is detected by `verifyAuditChain(expectedHead:)` — the
/// call behind `maserver audit verify` — and the untouched trail verifies after every restore.
@Suite("Security: audit trail tampering")
struct SecurityAuditTamperTests {
    static let columns = [
        "time_ms", "mission", "actor", "actor_role", "action", "resource", "scopes", "decision", "reason", "token_id",
        "details", "prev_hash", "hash",
    ]

    enum Mutation: String, CaseIterable, Sendable {
        case editField, deleteRow, swapRows, insertRow, appendRow, truncateTail
    }

    /// A trail of a few hundred events written through the real routes.
    static func populate(_ ma: TestMA) async throws {
        for index in 0..<12 {
            let agent = try TestAgent.jwt(now: ma.now)
            let s256 = try await ma.approvedMission(for: agent)
            for _ in 0..<3 {
                _ = try await ma.send(
                    agent, .post, "/token",
                    json: #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"search"}"#)
            }
            _ = try await ma.send(
                agent, .post, "/token",
                json: #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"book"}"#)
            if index.isMultiple(of: 3) {
                _ = await ma.admin(.post, "/missions/\(s256)/suspend", json: #"{"reason":"check \#(index)"}"#)
            }
        }
    }

    /// A value of the same storage class as `value` that differs from it.
    static func different(from value: SQLiteValue, using generator: inout SeededGenerator) -> SQLiteValue {
        switch value {
        case .integer(let number):
            return .integer(number &+ Int64.random(in: 1...1_000, using: &generator))
        case .text(let text):
            return .text(SecuritySupport.replacingOneCharacter(of: text, using: &generator))
        case .blob(var bytes):
            guard !bytes.isEmpty else { return .blob([1]) }
            let index = Int.random(in: 0..<bytes.count, using: &generator)
            bytes[index] ^= UInt8.random(in: 1...255, using: &generator)
            return .blob(bytes)
        case .real(let number):
            return .real(number + 1)
        case .null:
            return .text("x")
        }
    }

    @Test("1,000 random mutations of the stored trail are all detected; no false alarm on the untouched trail")
    func tampering() async throws {
        let ma = try await TestMA.make()
        try await Self.populate(ma)
        let head = try ma.app.authority.auditHead()
        let last = head.sequence
        #expect(last > 100)
        let raw = try SQLiteConnection(path: ma.directory + "/ma.sqlite", mode: .readWrite)
        try raw.execute("CREATE TABLE tamper_backup AS SELECT * FROM audit_events")
        var generator = SeededGenerator(seed: 0xA0D17)
        var undetected: [String] = []
        var falseAlarms = 0
        var reasons: [String: Int] = [:]
        var kinds: [Mutation: Int] = [:]
        let cases = 1_000
        for round in 0..<cases {
            let mutation = Mutation.allCases.randomElement(using: &generator) ?? .editField
            kinds[mutation, default: 0] += 1
            let row = Int64.random(in: 1...last, using: &generator)
            var description = "\(mutation) at \(row)"
            switch mutation {
            case .editField:
                let column = Self.columns.randomElement(using: &generator) ?? "actor"
                let current = try #require(
                    try raw.firstRow("SELECT \(column) FROM audit_events WHERE seq = ?", [.integer(row)]))[0]
                var value = Self.different(from: current, using: &generator)
                // STRICT columns: keep integers in the integer column.
                if column == "time_ms", case .text = value { value = .integer(1) }
                if column.hasSuffix("hash"), case .text = value { value = .blob([0]) }
                description += " \(column)"
                try raw.run("UPDATE audit_events SET \(column) = ? WHERE seq = ?", [value, .integer(row)])
            case .deleteRow:
                try raw.run("DELETE FROM audit_events WHERE seq = ?", [.integer(row)])
            case .swapRows:
                var other = Int64.random(in: 1...last, using: &generator)
                while other == row { other = Int64.random(in: 1...last, using: &generator) }
                description += " with \(other)"
                // Swap every column but seq, through a free sequence number.
                try raw.run("UPDATE audit_events SET seq = -1 WHERE seq = ?", [.integer(row)])
                try raw.run("UPDATE audit_events SET seq = ? WHERE seq = ?", [.integer(row), .integer(other)])
                try raw.run("UPDATE audit_events SET seq = ? WHERE seq = -1", [.integer(other)])
            case .insertRow:
                // Shift the rows from `row` up by one and put a copy of another event in the gap.
                try raw.run("UPDATE audit_events SET seq = -(seq + 1) WHERE seq >= ?", [.integer(row)])
                try raw.run("UPDATE audit_events SET seq = -seq WHERE seq < 0")
                let source = row == 1 ? 2 : row - 1
                try raw.run(
                    "INSERT INTO audit_events SELECT ?, time_ms, mission, actor, actor_role, action, resource, scopes, decision, reason, token_id, details, prev_hash, hash FROM audit_events WHERE seq = ?",
                    [.integer(row), .integer(source)])
            case .appendRow:
                // A copy of an existing event after the head, as if a decision had been logged.
                try raw.run(
                    "INSERT INTO audit_events SELECT ?, time_ms, mission, actor, actor_role, action, resource, scopes, decision, reason, token_id, details, prev_hash, hash FROM audit_events WHERE seq = ?",
                    [.integer(last + 1), .integer(row)])
            case .truncateTail:
                try raw.run("DELETE FROM audit_events WHERE seq >= ?", [.integer(row)])
            }
            do {
                switch try await ma.app.authority.verifyAuditChain(expectedHead: head) {
                case .ok: undetected.append("round \(round): \(description)")
                case .broken(_, let reason): reasons[reason.rawValue, default: 0] += 1
                }
            } catch {
                // The trail could not even be read back: detected, though not as a named link.
                reasons["unreadable (\(error))", default: 0] += 1
            }
            try raw.execute("DELETE FROM audit_events; INSERT INTO audit_events SELECT * FROM tamper_backup")
            if case .ok(let count) = try await ma.app.authority.verifyAuditChain(expectedHead: head) {
                #expect(count == Int(last))
            } else {
                falseAlarms += 1
            }
        }
        #expect(undetected.isEmpty, "undetected: \(undetected.prefix(10))")
        #expect(falseAlarms == 0)
        try raw.execute("DROP TABLE tamper_backup")
        SecuritySupport.summary(
            "audit.tampering",
            [
                "cases": cases, "events": last, "undetected": undetected.count, "false_alarms": falseAlarms,
                "kinds": kinds.map { "\($0.key)=\($0.value)" }.sorted(), "reasons": reasons.sorted { $0.key < $1.key },
            ])
        await ma.close()
    }
}
