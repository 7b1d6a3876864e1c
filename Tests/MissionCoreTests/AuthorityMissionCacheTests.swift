import Foundation
import Testing
@testable import MissionCore

@Suite struct MissionCacheTests {
    private func mission(_ text: String) throws -> Mission {
        let approved = ApprovedMission(form: .markdown, bytes: Array("# \(text)".utf8))
        let start = Date(timeIntervalSince1970: 1_780_000_000)
        return Mission(
            approved: approved, agent: "aauth:a@agents.test", envelope: try AccessEnvelope(grants: [], review: []),
            createdAt: start, approvedAt: start, expiresAt: nil)
    }

    @Test func anAbsentMarkIsReplacedByTheMissionWhenItIsInserted() throws {
        let cache = MissionCache()
        let created = try mission("x")
        cache.installAbsent(created.s256)
        guard case .absent = cache.lookup(created.s256) else { Issue.record("expected absent"); return }
        cache.install(created, version: 1)
        guard case .present(let found) = cache.lookup(created.s256) else { Issue.record("expected present"); return }
        #expect(found.s256 == created.s256)
    }

    @Test func anAbsentMarkNeverHidesACachedMission() throws {
        let cache = MissionCache()
        let created = try mission("y")
        cache.install(created, version: 1)
        cache.installAbsent(created.s256)  // a stale "not found" read finishing late
        guard case .present = cache.lookup(created.s256) else { Issue.record("a stale mark hid the mission"); return }
    }

    @Test func unknownUntilLookedUp() {
        guard case .unknown = MissionCache().lookup("z") else { Issue.record("expected unknown"); return }
    }
}
