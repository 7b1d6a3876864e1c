import Foundation
import Testing
@testable import MissionCore

@Suite struct MissionUpdateTests {
    @Test func canonicalBytesAndAppending() throws {
        var mission = try Fixture.mission()
        let s256 = mission.s256
        let update = try MissionUpdate(
            missionS256: s256, sequence: 1, description: "Also hotels",
            acceptedAt: Fixture.approvedAt + 60.7)
        let expected =
            ##"{"accepted_at":"2026-04-07T14:31:00Z","description":"Also hotels","mission_s256":"\##(s256)","sequence":1}"##
        #expect(String(decoding: update.canonicalBytes, as: UTF8.self) == expected)
        #expect(update.s256 == Base64URL.encode(SHA256.hash(Array(expected.utf8))))
        try mission.append(update, at: Fixture.approvedAt + 61)
        #expect(mission.currentDescription == "Also hotels")
        #expect(mission.s256 == s256)
        #expect(throws: MissionError.self) { try mission.append(update, at: Fixture.approvedAt + 62) }
        let foreign = try MissionUpdate(
            missionS256: "other", sequence: 2, description: "x", acceptedAt: Fixture.approvedAt)
        #expect(throws: MissionError.self) { try mission.append(foreign, at: Fixture.approvedAt + 62) }
    }

    @Test func expiredMissionTakesNoUpdate() throws {
        var mission = try Fixture.mission(expiresIn: 10)
        let update = try MissionUpdate(
            missionS256: mission.s256, sequence: 1, description: "late", acceptedAt: Fixture.approvedAt)
        #expect(throws: MissionError.missionNotLive(.expired)) {
            try mission.append(update, at: Fixture.approvedAt + 10)
        }
    }
}

@Suite struct MissionBusinessEventTests {
    @Test func validEvent() throws {
        let event = try BusinessEvent(
            type: "ticket_closed", source: "https://tickets.example/hooks", reference: "TICKET-1234",
            action: .complete)
        #expect(event.action.missionEvent == .complete)
        #expect(BusinessEvent.Action.record.missionEvent == nil)
    }

    @Test(arguments: [
        ("", "https://tickets.example", "T-1"),
        ("ticket closed", "https://tickets.example", "T-1"),
        ("ticket_closed", "http://tickets.example", "T-1"),
        ("ticket_closed", "https://user@tickets.example", "T-1"),
        ("ticket_closed", "https://tickets.example", ""),
        ("ticket_closed", "https://tickets.example", "T 1"),
        ("ticket_closed", "https://tickets.example", "T\"1"),
    ])
    func rejects(type: String, source: String, reference: String) {
        #expect(throws: MissionError.self) {
            try BusinessEvent(type: type, source: source, reference: reference, action: .record)
        }
    }
}
