import Foundation
import Testing

@testable import MissionCore

@Suite("Persistence: audit chain, restart, fail closed")
struct PersistenceTests {
    /// A little of everything, so the chain holds every kind of event.
    static func workload(_ authority: MissionAuthority, _ clock: ManualTimeSource) async throws -> Mission {
        let agent = try AuthorityFixture.agent()
        let mission = try await AuthorityFixture.approvedMission(
            authority, agent: agent, envelope: AuthorityFixture.envelope())
        _ = try await authority.requestAccess(
            agent: agent, missionS256: mission.s256, resource: "https://flights.example", scopes: ["search"],
            justification: nil)
        _ = try await authority.requestAccess(
            agent: agent, missionS256: mission.s256, resource: "https://hotels.example.com", scopes: ["book"],
            justification: nil)
        try await authority.suspend(s256: mission.s256, reason: "check", by: AuthorityFixture.admin)
        try await authority.resume(s256: mission.s256, reason: nil, by: AuthorityFixture.admin)
        _ = try await authority.createAdminKey(name: "second", role: .auditor, by: AuthorityFixture.admin)
        return mission
    }

    @Test("the chain verifies after a workload and names a row edited behind the MA's back")
    func chainVerifiesAndDetectsTampering() async throws {
        try await withAuthority { authority, clock in
            _ = try await Self.workload(authority, clock)
            let head = try authority.auditHead()
            #expect(head.sequence >= 8)
            #expect(try await authority.verifyAuditChain() == .ok(count: Int(head.sequence)))
            #expect(try await authority.verifyAuditChain(expectedHead: head) == .ok(count: Int(head.sequence)))
            try await authority.database.write { db in
                try db.run("UPDATE audit_events SET reason = 'nothing to see' WHERE seq = 3")
            }
            #expect(try await authority.verifyAuditChain() == .broken(atSequence: 3, reason: .contentMismatch))
        }
    }

    @Test(
        "every hashed column is covered: editing any one of them, even respelling its JSON, names that event",
        arguments: [
            (
                "details = replace(details, ':', ': ')", "details IS NOT NULL",
                AuditVerification.BreakReason.contentMismatch
            ),
            ("scopes = replace(scopes, '[', '[ ')", "scopes IS NOT NULL", .contentMismatch),
            ("time_ms = time_ms + 1", "1", .contentMismatch),
            ("actor = actor || 'x'", "1", .contentMismatch),
            ("actor_role = 'system'", "actor_role <> 'system'", .contentMismatch),
            ("action = 'mission.expired'", "action <> 'mission.expired'", .contentMismatch),
            ("mission = NULL", "mission IS NOT NULL", .contentMismatch),
            ("resource = 'https://other.example'", "resource IS NOT NULL", .contentMismatch),
            ("decision = decision || '!'", "decision IS NOT NULL", .contentMismatch),
            ("reason = 'nothing to see'", "reason IS NULL", .contentMismatch),
            ("token_id = 'other'", "token_id IS NOT NULL", .contentMismatch),
            ("hash = prev_hash", "seq > 1", .contentMismatch),
            ("prev_hash = hash", "1", .previousHashMismatch),
        ])
    func everyColumnIsCovered(change: String, condition: String, reason: AuditVerification.BreakReason) async throws {
        try await withAuthority { authority, clock in
            _ = try await Self.workload(authority, clock)
            let target = try authority.read { db in
                try db.firstRow("SELECT min(seq) FROM audit_events WHERE \(condition)")?.optionalInt64(0)
            }
            let sequence = try #require(target)
            try await authority.database.write { db in
                try db.run("UPDATE audit_events SET \(change) WHERE seq = ?", [.integer(sequence)])
            }
            #expect(try await authority.verifyAuditChain() == .broken(atSequence: sequence, reason: reason))
        }
    }

    @Test("texts that need escaping or are not ASCII verify from the stored rows")
    func escapedTextsVerify() async throws {
        try await withAuthority { authority, clock in
            let mission = try await Self.workload(authority, clock)
            try await authority.suspend(
                s256: mission.s256, reason: "line\nbreak \"quoted\" back\\slash tab\t \u{1} é ✓ 𝄞 /",
                by: AuthorityFixture.admin)
            let head = try authority.auditHead()
            let stored = try authority.audit(after: head.sequence - 1)
            #expect(stored.first?.reason == "line\nbreak \"quoted\" back\\slash tab\t \u{1} é ✓ 𝄞 /")
            let previous = try #require(try authority.audit(after: head.sequence - 2).first)
            let start = AuditCheckpoint(sequence: previous.sequence, hash: previous.hash)
            #expect(AuditChain.verify(stored, after: start) == .ok(count: 1))
            #expect(try await authority.verifyAuditChain(expectedHead: head) == .ok(count: Int(head.sequence)))
        }
    }

    @Test("a trusted checkpoint exposes a truncated trail")
    func truncationAgainstCheckpoint() async throws {
        try await withAuthority { authority, clock in
            _ = try await Self.workload(authority, clock)
            let head = try authority.auditHead()
            try await authority.database.write { db in
                try db.run("DELETE FROM audit_events WHERE seq = ?", [.integer(head.sequence)])
            }
            #expect(try await authority.verifyAuditChain() == .ok(count: Int(head.sequence) - 1))
            #expect(
                try await authority.verifyAuditChain(expectedHead: head)
                    == .broken(atSequence: head.sequence, reason: .truncated))
        }
    }

    @Test("export writes one canonical JSON line per event")
    func export() async throws {
        try await withAuthority { authority, clock in
            _ = try await Self.workload(authority, clock)
            let collected = Collected()
            let count = try await authority.exportAudit { collected.append($0) }
            let lines = collected.bytes.split(separator: UInt8(ascii: "\n"))
            #expect(lines.count == count)
            let head = try authority.auditHead()
            #expect(Int64(count) == head.sequence)
            let first = try JSONValue.parse(lines[0])
            #expect(first["sequence"] == .integer(1))
            #expect(first["hash"]?.stringValue?.utf8.count == 43)
        }
    }

    @Test("missions, reviews, keys and the chain head survive a restart")
    func restart() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualTimeSource()
            let settings = MissionAuthority.Settings(issuer: "https://ma.example")
            let agent = try AuthorityFixture.agent()
            let first = try await MissionAuthority.open(dataDirectory: directory, settings: settings, time: clock)
            let mission = try await Self.workload(first, clock)
            guard
                case .pending(let review, _) = try await first.propose(
                    agent: agent, proposal: AuthorityFixture.proposal())
            else { return }
            let kid = first.currentSigningKeyID
            let head = try first.auditHead()
            first.close()

            let second = try await MissionAuthority.open(dataDirectory: directory, settings: settings, time: clock)
            defer { second.close() }
            #expect(second.currentSigningKeyID == kid)
            #expect(try second.missionDetail(s256: mission.s256).mission.approved == mission.approved)
            #expect(try second.review(id: review.id).state == .pending)
            try await second.deny(reviewID: review.id, reason: nil, by: AuthorityFixture.reviewer)
            let next = try second.audit(after: head.sequence)
            #expect(next.first?.sequence == head.sequence + 1)
            #expect(next.first?.previousHash == head.hash)
            #expect(
                try await second.verifyAuditChain(expectedHead: head) == .ok(count: Int(head.sequence) + next.count))
        }
    }

    @Test("a full disk fails closed: no token without its audit row, and the chain continues afterwards")
    func failClosedOnFullDisk() async throws {
        try await withAuthority { authority, _ in
            let agent = try AuthorityFixture.agent()
            let mission = try await AuthorityFixture.approvedMission(
                authority, agent: agent, envelope: AuthorityFixture.envelope())
            try await authority.database.write { db in
                let pages = try db.firstRow("PRAGMA page_count")?.int64(0) ?? 0
                try db.execute("PRAGMA max_page_count = \(pages)")
            }
            var granted: [String] = []
            var failure: AuthorityError?
            for _ in 0..<2_000 {
                do {
                    if case .granted(let issued) = try await authority.requestAccess(
                        agent: agent, missionS256: mission.s256, resource: "https://flights.example",
                        scopes: ["search"],
                        justification: nil)
                    {
                        granted.append(issued.jti)
                    }
                } catch {
                    failure = error as? AuthorityError
                    break
                }
            }
            #expect(failure == .auditUnavailable)
            #expect(try AuthorityFixture.count(authority, "SELECT count(*) FROM issued_tokens") == Int64(granted.count))
            #expect(
                try AuthorityFixture.count(
                    authority,
                    "SELECT count(*) FROM issued_tokens t JOIN audit_events a ON a.seq = t.audit_seq AND a.token_id = t.jti"
                )
                    == Int64(granted.count))
            try await authority.database.write { db in try db.execute("PRAGMA max_page_count = 1073741823") }
            guard
                case .granted = try await authority.requestAccess(
                    agent: agent, missionS256: mission.s256, resource: "https://flights.example", scopes: ["search"],
                    justification: nil)
            else {
                Issue.record("expected a grant once space is back")
                return
            }
            let head = try authority.auditHead()
            #expect(try await authority.verifyAuditChain() == .ok(count: Int(head.sequence)))
        }
    }

    @Test("events appended in one batch, scopes long and short, are stored exactly as hashed")
    func storedScopesMatchTheHashedEvents() async throws {
        try await withTemporaryDirectory { directory in
            let database = try Database.open(at: directory + "/audit.sqlite", migrations: AuthoritySchema.migrations)
            defer { database.close() }
            let appender = AuditAppender()
            let time = Date(timeIntervalSince1970: 1_780_000_000)
            let scopeLists: [[String]?] = [
                [String(repeating: "long-scope-", count: 40), "b"], ["a"], nil, [], ["x\"y", "ü", "c"], ["a"],
            ]
            let entries = scopeLists.map {
                AuditEntry(
                    time: time, actor: "agent", actorRole: .agent, action: .tokenIssued, scopes: $0,
                    details: $0 == nil ? [:] : ["n": "\($0?.count ?? 0)"])
            }
            let appended = try await database.write { db in try appender.append(entries, on: db) }
            let stored = try database.read { db in
                try db.rows("SELECT \(AuditRows.columns) FROM audit_events ORDER BY seq").map(AuditRows.event(from:))
            }
            #expect(stored == appended)
            #expect(stored.map(\.scopes) == scopeLists)
            #expect(AuditChain.verify(stored) == .ok(count: scopeLists.count))
        }
    }

    @Test("after a batch's COMMIT fails, the appender re-reads the head from the table")
    func headResetAfterFailedCommit() async throws {
        try await withTemporaryDirectory { directory in
            // A deferred foreign key is checked only at COMMIT: the test's way to make COMMIT fail.
            let failing = SQLiteMigration(
                version: (AuthoritySchema.migrations.last?.version ?? 0) + 1,
                sql: """
                    CREATE TABLE parents(id INTEGER PRIMARY KEY) STRICT;
                    CREATE TABLE children(parent INTEGER REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED) STRICT;
                    """)
            let database = try Database.open(
                at: directory + "/audit.sqlite", migrations: AuthoritySchema.migrations + [failing])
            defer { database.close() }
            let appender = AuditAppender()
            let time = Date(timeIntervalSince1970: 1_780_000_000)
            let entry = AuditEntry(time: time, actor: "ma", actorRole: .system, action: .auditVerified)
            try await database.write { db in try appender.append([entry, entry], on: db) }
            #expect(appender.cachedHead?.sequence == 2)
            await #expect(throws: SQLiteError.self) {
                try await database.write { db in
                    try appender.append([entry], on: db)
                    try db.run("INSERT INTO children(parent) VALUES (42)")
                }
            }
            #expect(appender.cachedHead?.sequence == 3)  // ahead of the table: the batch was lost
            let appended = try await database.write { db in try appender.append([entry], on: db) }
            #expect(appended.first?.sequence == 3)
            let events = try database.read { db in
                try db.rows("SELECT \(AuditRows.columns) FROM audit_events ORDER BY seq").map(AuditRows.event(from:))
            }
            #expect(AuditChain.verify(events) == .ok(count: 3))
        }
    }
}

/// Bytes gathered from an export callback.
final class Collected: @unchecked Sendable {
    // Safe: `storage` is only touched under `lock`.
    private let lock = NSLock()
    private var storage: [UInt8] = []
    func append(_ bytes: [UInt8]) { lock.withLock { storage += bytes } }
    var bytes: [UInt8] { lock.withLock { storage } }
}

@Suite("Audit canonical form: the direct writer")
struct AuditCanonicalWriterTests {
    @Test("the member-by-member writer gives exactly the generic canonical JSON", arguments: [false, true])
    func matchesGenericForm(full: Bool) {
        var chain = AuditChain()
        let event = chain.append(
            AuditEntry(
                time: Date(timeIntervalSince1970: 1_780_000_000.007), missionS256: full ? "m\"1" : nil,
                actor: "agent é",
                actorRole: .agent, action: .accessGranted, resource: full ? "https://a.example" : nil,
                scopes: full ? ["b", "a\\"] : nil, decision: full ? "granted" : nil,
                reason: full ? "tab\there\u{1}" : nil,
                tokenID: full ? "jti" : nil, details: full ? ["z": "1", "a": "\n", "é": "x"] : [:]))
        let generic = CanonicalValue.members([
            ("action", .string(event.action.rawValue)),
            ("actor", .string(event.actor)),
            ("actor_role", .string(event.actorRole.rawValue)),
            ("decision", event.decision.map { .string($0) }),
            ("details", event.details.isEmpty ? nil : .object(event.details.mapValues { .string($0) })),
            ("mission_s256", event.missionS256.map { .string($0) }),
            ("reason", event.reason.map { .string($0) }),
            ("resource", event.resource.map { .string($0) }),
            ("scopes", event.scopes.map(CanonicalValue.strings)),
            ("sequence", .integer(event.sequence)),
            ("time", .string(RFC3339.string(epochMilliseconds: event.timeMilliseconds))),
            ("token_id", event.tokenID.map { .string($0) }),
        ]).bytes
        #expect(event.canonicalBytes == generic)
    }

    @Test(
        "the byte scan finds credential markers where the old substring search did",
        arguments: [
            ("plain text", false), ("eyJ", true), ("xxeyJhb", true), ("ma_", true), ("m a_ e yJ", false),
            ("ééeyJ", true),
            ("", false), ("ey", false),
        ])
    func credentialScan(text: String, expected: Bool) {
        #expect(CredentialRedaction.mayHoldCredential(text) == expected)
        #expect((text.contains("eyJ") || text.contains("ma_")) == expected)
    }
}
