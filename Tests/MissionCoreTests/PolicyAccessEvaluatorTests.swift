import Foundation
import Testing
@testable import MissionCore

@Suite struct PolicyAccessEvaluatorTests {
    static let envelope: [(String, [String])] = [
        ("https://flights.example", ["search", "fare.hold"]),
        ("https://*.docs.example", ["*"]),
    ]
    static let review: [(String, [String])] = [("https://flights.example", ["book", "pay"])]

    private func decide(
        _ resource: String, _ scopes: [String], at offset: TimeInterval = 10,
        expiresIn: TimeInterval? = 3600, lifetime: Int = 300
    ) throws -> AccessDecision {
        let mission = try Fixture.mission(
            envelope: try Fixture.envelope(
                grants: Self.envelope, review: Self.review,
                maxTokenLifetime: lifetime),
            expiresIn: expiresIn)
        return AccessEvaluator.evaluate(
            mission, try AccessRequest(resource: resource, scopes: scopes),
            at: Fixture.approvedAt + offset)
    }

    @Test func exactGrant() throws {
        #expect(try decide("https://flights.example", ["search"]) == .granted(scopes: ["search"], tokenLifetime: 300))
        #expect(
            try decide("https://FLIGHTS.example:443", ["search", "fare.hold"])
                == .granted(scopes: ["fare.hold", "search"], tokenLifetime: 300))
    }

    @Test func wildcardAndAnyScope() throws {
        #expect(
            try decide("https://api.docs.example", ["whatever"]) == .granted(scopes: ["whatever"], tokenLifetime: 300))
        #expect(
            try decide("https://docs.example", ["read"]) == .denied(reason: .outsideMissionScope, outside: ["read"]))
    }

    @Test func portAndSchemeMatter() throws {
        #expect(
            try decide("https://flights.example:8443", ["search"])
                == .denied(reason: .outsideMissionScope, outside: ["search"]))
        #expect(
            try decide("http://flights.example", ["search"])
                == .denied(reason: .outsideMissionScope, outside: ["search"]))
    }

    @Test func partialGrantWithRestInReviewIsDeferred() throws {
        #expect(try decide("https://flights.example", ["search", "book"]) == .needsReview(outside: ["book"]))
        #expect(try decide("https://flights.example", ["book", "pay"]) == .needsReview(outside: ["book", "pay"]))
    }

    @Test func anythingOutsideBothIsDeniedAndListed() throws {
        #expect(
            try decide("https://flights.example", ["search", "book", "refund"])
                == .denied(reason: .outsideMissionScope, outside: ["refund"]))
        #expect(
            try decide("https://hotels.example", ["search"])
                == .denied(reason: .outsideMissionScope, outside: ["search"]))
    }

    @Test func lifetimeCappedByEnvelopeAndExpiry() throws {
        #expect(
            try decide("https://flights.example", ["search"], expiresIn: 7200, lifetime: 3600)
                == .granted(scopes: ["search"], tokenLifetime: 3600))
        #expect(
            try decide("https://flights.example", ["search"], lifetime: 3600)
                == .granted(scopes: ["search"], tokenLifetime: 3590))
        // 3600 s mission, 3500 s in: 100 s left.
        #expect(
            try decide("https://flights.example", ["search"], at: 3500, lifetime: 3600)
                == .granted(scopes: ["search"], tokenLifetime: 100))
        #expect(
            try decide("https://flights.example", ["search"], at: 3599.5)
                == .denied(reason: .missionExpiresTooSoon, outside: []))
        #expect(try decide("https://flights.example", ["search"], at: 3600) == .missionTerminated(state: .expired))
        #expect(
            try decide("https://flights.example", ["search"], at: 1e6, expiresIn: nil, lifetime: 3600)
                == .granted(scopes: ["search"], tokenLifetime: 3600))
    }

    /// The earlier of the mission's and the envelope's expiry bounds the token, whichever is set.
    @Test(arguments: [
        (TimeInterval?.none, TimeInterval?.none, 3600), (1000, nil, 990), (nil, 2000, 1990), (1000, 2000, 990),
        (3000, 500, 490), (700, 700, 690),
    ])
    func earlierExpiryOfMissionAndEnvelope(mission: TimeInterval?, envelope: TimeInterval?, lifetime: Int) throws {
        let base = try Fixture.mission(
            envelope: try Fixture.envelope(grants: Self.envelope, review: Self.review, maxTokenLifetime: 3600),
            expiresIn: mission)
        // Built directly: an approval sets the envelope's expiry to the mission's.
        let subject = Mission(
            approved: base.approved, agent: base.agent,
            envelope: base.envelope.expiring(at: envelope.map { Fixture.approvedAt + $0 }), createdAt: base.createdAt,
            approvedAt: base.approvedAt, expiresAt: base.expiresAt, state: base.state)
        let decided = AccessEvaluator.evaluate(
            subject,
            try AccessRequest(resource: "https://flights.example", scopes: ["search"]),
            at: Fixture.approvedAt + 10)
        #expect(decided == .granted(scopes: ["search"], tokenLifetime: lifetime))
    }

    @Test func tokenLifetimeNeverExceedsOneHour() {
        #expect(AccessEvaluator.tokenLifetime(maximum: 86_400, expiresAt: nil, now: Fixture.approvedAt) == 3600)
        #expect(AccessEvaluator.tokenLifetime(maximum: 0, expiresAt: nil, now: Fixture.approvedAt) == nil)
        #expect(throws: MissionError.self) { try AccessEnvelope(maxTokenLifetime: 3601) }
        #expect(AccessEnvelope.empty.maxTokenLifetime == 300)
    }

    @Test func missionStates() throws {
        let request = try AccessRequest(resource: "https://flights.example", scopes: ["search"])
        var mission = try Fixture.mission()
        let now = Fixture.approvedAt + 1
        try mission.apply(.suspend, at: now)
        #expect(AccessEvaluator.evaluate(mission, request, at: now) == .missionSuspended)
        try mission.apply(.revoke, at: now)
        #expect(AccessEvaluator.evaluate(mission, request, at: now) == .missionTerminated(state: .revoked))
        let proposed = try Fixture.mission(state: .proposed)
        #expect(AccessEvaluator.evaluate(proposed, request, at: now) == .missionNotApproved)
    }

    @Test func amendmentsWidenTheEffectiveEnvelopeButNotS256() throws {
        var mission = try Fixture.mission()
        let before = mission.s256
        let request = try AccessRequest(resource: "https://hotels.example", scopes: ["search"])
        let now = Fixture.approvedAt + 5
        #expect(
            AccessEvaluator.evaluate(mission, request, at: now)
                == .denied(reason: .outsideMissionScope, outside: ["search"]))
        let amendment = try MissionAmendment(
            missionS256: mission.s256, sequence: 1,
            addedGrants: [try AccessGrant(resource: "https://hotels.example", scopes: ["search"])],
            reviewer: "rev-1", amendedAt: now, reason: "needed for the trip")
        try mission.append(amendment, at: now)
        #expect(mission.s256 == before)
        #expect(AccessEvaluator.evaluate(mission, request, at: now) == .granted(scopes: ["search"], tokenLifetime: 300))
        #expect(throws: MissionError.self) { try mission.append(amendment, at: now) }  // sequence 1 again
    }
}

@Suite struct PolicyAmendmentTests {
    @Test func canonicalBytesAndHash() throws {
        let amendment = try MissionAmendment(
            missionS256: "abc", sequence: 2,
            addedGrants: [try AccessGrant(resource: "https://a.example", scopes: ["r"])],
            reviewer: "rev", amendedAt: Fixture.approvedAt + 0.5, reason: nil)
        let expected =
            #"{"added_grants":[{"resource":"https://a.example","scopes":["r"]}],"amended_at":"2026-04-07T14:30:00Z","mission_s256":"abc","reviewer":"rev","sequence":2}"#
        #expect(String(decoding: amendment.canonicalBytes, as: UTF8.self) == expected)
        #expect(amendment.s256 == Base64URL.encode(SHA256.hash(Array(expected.utf8))))
    }

    @Test func amendingATerminatedMissionIsRefused() throws {
        var mission = try Fixture.mission()
        try mission.apply(.revoke, at: Fixture.approvedAt + 1)
        let amendment = try MissionAmendment(
            missionS256: mission.s256, sequence: 1,
            addedGrants: [try AccessGrant(resource: "https://a.example", scopes: ["r"])],
            reviewer: "rev", amendedAt: Fixture.approvedAt + 2, reason: nil)
        #expect(throws: MissionError.missionNotLive(.revoked)) {
            try mission.append(amendment, at: Fixture.approvedAt + 2)
        }
    }
}
