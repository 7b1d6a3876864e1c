import Foundation
import Testing

@testable import MissionCore

@Suite("MissionAuthority: concurrency and listings")
struct AuthorityConcurrencyTests {
    @Test("concurrent grants while an admin suspends and resumes: every token has its audit row, the chain holds")
    func concurrentGrantsAndLifecycle() async throws {
        try await withAuthority { authority, _ in
            let agent = try AuthorityFixture.agent()
            let mission = try await AuthorityFixture.approvedMission(
                authority, agent: agent, envelope: AuthorityFixture.envelope())
            let outcomes = try await withThrowingTaskGroup(of: (granted: Int, suspended: Int).self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        var tally = (granted: 0, suspended: 0)
                        for _ in 0..<20 {
                            do {
                                if case .granted = try await authority.requestAccess(
                                    agent: agent, missionS256: mission.s256, resource: "https://flights.example",
                                    scopes: ["search"], justification: nil)
                                {
                                    tally.granted += 1
                                }
                            } catch AuthorityError.suspended {
                                tally.suspended += 1
                            }
                        }
                        return tally
                    }
                }
                group.addTask {
                    for _ in 0..<10 {
                        try await authority.suspend(s256: mission.s256, reason: nil, by: AuthorityFixture.admin)
                        try await authority.resume(s256: mission.s256, reason: nil, by: AuthorityFixture.admin)
                    }
                    return (0, 0)
                }
                var total = (granted: 0, suspended: 0)
                for try await tally in group {
                    total.granted += tally.granted
                    total.suspended += tally.suspended
                }
                return total
            }
            #expect(outcomes.granted + outcomes.suspended == 320)
            let tokens = try AuthorityFixture.count(authority, "SELECT count(*) FROM issued_tokens")
            #expect(tokens == Int64(outcomes.granted))
            let audited = try AuthorityFixture.count(
                authority,
                "SELECT count(*) FROM issued_tokens t JOIN audit_events a ON a.seq = t.audit_seq AND a.token_id = t.jti"
            )
            #expect(audited == tokens)
            let refusals = try AuthorityFixture.count(
                authority, "SELECT count(*) FROM audit_events WHERE action = 'access.refused'")
            #expect(refusals == Int64(outcomes.suspended))
            let head = try authority.auditHead()
            #expect(try await authority.verifyAuditChain() == .ok(count: Int(head.sequence)))
        }
    }

    @Test("listings page with opaque cursors and refuse forged ones")
    func listingsPage() async throws {
        try await withAuthority { authority, clock in
            let agent = try AuthorityFixture.agent()
            var created: [String] = []
            for _ in 0..<5 {
                let mission = try await AuthorityFixture.approvedMission(
                    authority, agent: agent, envelope: AuthorityFixture.envelope())
                created.append(mission.s256)
                clock.advance(by: 1)
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try authority.missions(filter: MissionFilter(agent: agent.id), cursor: cursor, limit: 2)
                seen += page.items.map(\.s256)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == created.reversed())
            #expect(try authority.missions(filter: MissionFilter(agent: "someone else")).items.isEmpty)
            #expect(throws: AuthorityError.invalidRequest("cursor: not one this server issued")) {
                try authority.missions(cursor: "not-a-cursor")
            }
            let firstPage = try authority.audit(mission: created[0], limit: 1)
            let rest = try authority.audit(mission: created[0], cursor: firstPage.nextCursor, limit: 100)
            #expect(firstPage.items.count == 1 && !rest.items.isEmpty)
            #expect(rest.items.allSatisfy { $0.sequence > firstPage.items[0].sequence })
            #expect(rest.nextCursor == nil)
        }
    }

    @Test("admin key use is written at most once a minute")
    func lastUsedThrottle() async throws {
        try await withAuthority { authority, clock in
            let (record, secret) = try await authority.createAdminKey(name: "ops", role: .admin, by: .system)
            _ = try authority.authenticateAdmin(secret: secret)
            try await waitUntil("last_used is written") {
                (try? authority.listAdminKeys().first?.lastUsedAt) != nil
            }
            let first = try #require(try authority.listAdminKeys().first?.lastUsedAt)
            clock.advance(by: 30)
            _ = try authority.authenticateAdmin(secret: secret)
            #expect(!authority.adminKeyUse.shouldRecord(record.id, storedLastUse: first, at: clock.now()))
            clock.advance(by: 31)
            #expect(authority.adminKeyUse.shouldRecord(record.id, storedLastUse: first, at: clock.now()))
        }
    }
}
