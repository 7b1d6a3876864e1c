import Foundation
import Testing
@testable import MissionCore

@Suite struct MissionLifecycleTests {
    // Written out independently of `MissionLifecycle.table` (DESIGN §3.1), so a wrong table fails.
    static let expected: [String: String] = [
        "proposed.approve": "active",
        "active.suspend": "suspended", "active.revoke": "revoked", "active.complete": "completed",
        "active.expire": "expired",
        "suspended.resume": "active", "suspended.revoke": "revoked", "suspended.complete": "completed",
        "suspended.expire": "expired",
    ]

    static let pairs: [(MissionState, MissionEvent)] = MissionState.allCases.flatMap { state in
        MissionEvent.allCases.map { (state, $0) }
    }

    @Test(arguments: pairs)
    func everyStateAndEvent(state: MissionState, event: MissionEvent) throws {
        let key = "\(state.rawValue).\(event.rawValue)"
        if let next = Self.expected[key] {
            #expect(try MissionLifecycle.next(from: state, on: event).rawValue == next)
        } else {
            #expect(throws: MissionError.invalidTransition(from: state, event: event)) {
                try MissionLifecycle.next(from: state, on: event)
            }
        }
    }

    @Test func tableHasExactlyTheExpectedEdges() {
        let count = MissionLifecycle.table.values.map(\.count).reduce(0, +)
        #expect(count == Self.expected.count)
        #expect(Self.pairs.count == 36)
    }

    @Test(arguments: MissionState.allCases)
    func terminalStatesNeverLeave(state: MissionState) {
        #expect(state.isTerminal == [.completed, .revoked, .expired].contains(state))
        if state.isTerminal { #expect(MissionLifecycle.table[state]?.isEmpty == true) }
    }

    @Test func suspendResumeRevoke() throws {
        var mission = try Fixture.mission()
        let now = Fixture.approvedAt + 10
        try mission.apply(.suspend, at: now, reason: "investigating")
        #expect(mission.state == .suspended)
        #expect(mission.stateReason == "investigating")
        try mission.apply(.resume, at: now)
        try mission.apply(.revoke, at: now + 1, reason: "done with it")
        #expect(mission.state == .revoked)
        #expect(mission.terminationReason == "revoked")
        #expect(mission.terminatedAt == now + 1)
        #expect(throws: MissionError.invalidTransition(from: .revoked, event: .resume)) {
            try mission.apply(.resume, at: now + 2)
        }
    }

    @Test func completeKeepsSummary() throws {
        var mission = try Fixture.mission()
        try mission.apply(.complete, at: Fixture.approvedAt + 5, summary: "Booked LH 123")
        #expect(mission.summary == "Booked LH 123")
        #expect(mission.state == .completed)
    }
}

@Suite struct MissionExpiryTests {
    @Test func expiryBoundary() throws {
        let mission = try Fixture.mission(expiresIn: 100)
        let expiry = Fixture.approvedAt + 100
        #expect(mission.effectiveState(at: expiry - 0.001) == .active)
        #expect(mission.effectiveState(at: expiry) == .expired)
        #expect(mission.effectiveState(at: expiry + 1) == .expired)
        #expect(mission.state == .active)
    }

    @Test func noExpiryNeverExpires() throws {
        let mission = try Fixture.mission(expiresIn: nil)
        #expect(mission.effectiveState(at: Fixture.approvedAt + 10 * 365 * 86_400) == .active)
    }

    @Test func expireIfDueReportsTheFirstObservationOnly() throws {
        var mission = try Fixture.mission(expiresIn: 100)
        #expect(mission.expireIfDue(at: Fixture.approvedAt + 99) == false)
        #expect(mission.expireIfDue(at: Fixture.approvedAt + 150) == true)
        #expect(mission.state == .expired)
        #expect(mission.terminatedAt == Fixture.approvedAt + 100)
        #expect(mission.expireIfDue(at: Fixture.approvedAt + 200) == false)
    }

    @Test func suspendedMissionsExpireToo() throws {
        var mission = try Fixture.mission(expiresIn: 100)
        try mission.apply(.suspend, at: Fixture.approvedAt + 1)
        #expect(mission.effectiveState(at: Fixture.approvedAt + 100) == .expired)
    }

    @Test func eventsAfterExpiryAreRefusedEvenBeforeItIsRecorded() throws {
        var mission = try Fixture.mission(expiresIn: 100)
        #expect(throws: MissionError.invalidTransition(from: .expired, event: .suspend)) {
            try mission.apply(.suspend, at: Fixture.approvedAt + 100)
        }
        #expect(mission.state == .active)
    }

    @Test func revokedMissionDoesNotTurnExpired() throws {
        var mission = try Fixture.mission(expiresIn: 100)
        try mission.apply(.revoke, at: Fixture.approvedAt + 1)
        #expect(mission.effectiveState(at: Fixture.approvedAt + 500) == .revoked)
        #expect(mission.expireIfDue(at: Fixture.approvedAt + 500) == false)
    }
}
