import Foundation
import Testing

@testable import MissionCore

@Suite("MissionAuthority: token requests")
struct AuthorityAccessTests {
    @Test("a granted request returns a verifiable aa-auth+jwt with every claim, recorded with its audit row")
    func grantedToken() async throws {
        try await withAuthority { authority, clock in
            let agent = try AuthorityFixture.agent()
            let mission = try await AuthorityFixture.approvedMission(
                authority, agent: agent, envelope: AuthorityFixture.envelope())
            let outcome = try await authority.requestAccess(
                agent: agent, missionS256: mission.s256, resource: "https://flights.example",
                scopes: ["search", "fare.hold", "search"], justification: "compare fares")
            guard case .granted(let issued) = outcome else {
                Issue.record("expected a token, got \(outcome)")
                return
            }
            let key = try #require(authority.jwks().keys.first)
            #expect(key.keyID == authority.currentSigningKeyID)
            let validator = JWTValidator(
                timeSource: clock, expectedType: "aa-auth+jwt", issuer: "https://ma.example",
                audience: "https://flights.example", requiresIssuedAt: true)
            let jwt = try JWT.verify(issued.token, key: key.publicKey, validator: validator)
            #expect(jwt.header.keyID == authority.currentSigningKeyID)
            let claims = jwt.claims
            #expect(try claims.string("ps") == "https://ma.example")
            #expect(try claims.string("dwk") == "aauth-person.json")
            #expect(try claims.subject == agent.id)
            #expect(try claims.string("scope") == "fare.hold search")
            #expect(try claims.string("mission_s256") == mission.s256)
            #expect(claims["mission"] == .object(["s256": .string(mission.s256), "auth": "https://ma.example"]))
            #expect(try claims.confirmationKey() == agent.publicKey)
            let iat = try #require(try claims.integer("iat"))
            let exp = try #require(try claims.integer("exp"))
            #expect(exp - iat == 300)
            #expect(try claims.jwtID == issued.jti)
            #expect(try Base64URL.decode(#require(try claims.jwtID))?.count == 16)
            #expect(claims["approver"] == nil)
            #expect(issued.expiresIn == 300)
            #expect(
                try AuthorityFixture.count(
                    authority, "SELECT count(*) FROM issued_tokens WHERE jti = ?", [.text(issued.jti)]) == 1)
            let grant = try #require(try authority.audit(mission: mission.s256).items.last)
            #expect(grant.action == .accessGranted && grant.tokenID == issued.jti)
            #expect(
                !grant.canonicalBytes.contains(UInt8(ascii: "~"))
                    && !String(decoding: grant.canonicalBytes, as: UTF8.self).contains("eyJ"))
            let tree = try authority.delegationTree(s256: mission.s256)
            #expect(tree.roots.map(\.edge.jti) == [issued.jti])
        }
    }

    @Test("the token never outlives the mission")
    func lifetimeCappedByMission() async throws {
        try await withAuthority { authority, clock in
            let agent = try AuthorityFixture.agent()
            let mission = try await AuthorityFixture.approvedMission(
                authority, agent: agent, envelope: AuthorityFixture.envelope(maxTokenLifetime: 3600), expiresIn: 600)
            clock.advance(by: 500)
            guard
                case .granted(let issued) = try await authority.requestAccess(
                    agent: agent, missionS256: mission.s256, resource: "https://flights.example", scopes: ["search"],
                    justification: nil)
            else { return }
            let expiresAt = try #require(mission.expiresAt)
            #expect(issued.expiresAt <= expiresAt)
        }
    }

    @Test("a missing mission and another agent's mission give the same error")
    func notFoundAndForeign() async throws {
        try await withAuthority { authority, _ in
            let agent = try AuthorityFixture.agent()
            let other = try AuthorityFixture.agent("aauth:other@agent.example")
            let mission = try await AuthorityFixture.approvedMission(
                authority, agent: agent, envelope: AuthorityFixture.envelope())
            let missing = Base64URL.encode(SHA256.hash(Array("nothing".utf8)))
            for s256 in [mission.s256, missing] {
                await #expect(throws: AuthorityError.notFound) {
                    try await authority.requestAccess(
                        agent: other, missionS256: s256, resource: "https://flights.example", scopes: ["search"],
                        justification: nil)
                }
                await #expect(throws: AuthorityError.notFound) { try await authority.mission(s256: s256, agent: other) }
            }
        }
    }

    @Test("scopes outside grants but inside review are deferred; allow once issues the token on the next poll")
    func deferredAllowOnce() async throws {
        try await withAuthority { authority, clock in
            let agent = try AuthorityFixture.agent()
            let mission = try await AuthorityFixture.approvedMission(
                authority, agent: agent, envelope: AuthorityFixture.envelope())
            guard
                case .deferred(let review, _) = try await authority.requestAccess(
                    agent: agent, missionS256: mission.s256, resource: "https://hotels.example.com", scopes: ["book"],
                    justification: "need a room")
            else {
                Issue.record("expected a deferral")
                return
            }
            try await authority.approve(reviewID: review.id, decision: .allowOnce, by: AuthorityFixture.reviewer)
            clock.advance(by: 5)
            guard case .granted(let issued) = try await authority.poll(reviewID: review.id, agent: agent) else {
                Issue.record("expected a token on poll")
                return
            }
            #expect(issued.resource == "https://hotels.example.com" && issued.scopes == ["book"])
            #expect(try await authority.poll(reviewID: review.id, agent: agent) == .gone)
            // Allowed once only: the same request is deferred again.
            guard
                case .deferred = try await authority.requestAccess(
                    agent: agent, missionS256: mission.s256, resource: "https://hotels.example.com", scopes: ["book"],
                    justification: nil)
            else {
                Issue.record("expected another deferral")
                return
            }
        }
    }

    @Test("allow and amend: the mission keeps its s256 and later requests pass directly")
    func allowAndAmend() async throws {
        try await withAuthority { authority, clock in
            let agent = try AuthorityFixture.agent()
            let mission = try await AuthorityFixture.approvedMission(
                authority, agent: agent, envelope: AuthorityFixture.envelope())
            guard
                case .deferred(let review, _) = try await authority.requestAccess(
                    agent: agent, missionS256: mission.s256, resource: "https://hotels.example.com", scopes: ["book"],
                    justification: nil)
            else { return }
            try await authority.approve(
                reviewID: review.id,
                decision: .allowAndAmend(grants: [
                    try AccessGrant(resource: "https://hotels.example.com", scopes: ["book"])
                ]),
                by: AuthorityFixture.reviewer)
            clock.advance(by: 5)
            guard case .granted = try await authority.poll(reviewID: review.id, agent: agent) else {
                Issue.record("expected a token on poll")
                return
            }
            guard
                case .granted = try await authority.requestAccess(
                    agent: agent, missionS256: mission.s256, resource: "https://hotels.example.com", scopes: ["book"],
                    justification: nil)
            else {
                Issue.record("expected a direct grant after the amendment")
                return
            }
            let detail = try authority.missionDetail(s256: mission.s256)
            #expect(detail.mission.s256 == mission.s256)
            #expect(detail.mission.amendments.count == 1)
            #expect(try AuthorityFixture.count(authority, "SELECT count(*) FROM mission_amendments") == 1)
        }
    }

    @Test("scopes outside the mission are denied, naming them, and audited")
    func deniedOutside() async throws {
        try await withAuthority { authority, _ in
            let agent = try AuthorityFixture.agent()
            let mission = try await AuthorityFixture.approvedMission(
                authority, agent: agent, envelope: AuthorityFixture.envelope(review: []))
            await #expect(throws: AuthorityError.denied(reason: "outside mission scope", outside: ["admin"])) {
                try await authority.requestAccess(
                    agent: agent, missionS256: mission.s256, resource: "https://flights.example",
                    scopes: ["search", "admin"], justification: nil)
            }
            let last = try #require(try authority.audit(mission: mission.s256).items.last)
            #expect(last.action == .accessDenied && last.scopes == ["admin"])
            await #expect(
                throws: AuthorityError.invalidRequest("scope: invalidScope(\"scope length must be 1–128 bytes\")")
            ) {
                try await authority.requestAccess(
                    agent: agent, missionS256: mission.s256, resource: "https://flights.example", scopes: [""],
                    justification: nil)
            }
        }
    }

    @Test("suspend refuses tokens until resume; revoke is terminal; invalid transitions name the state")
    func lifecycle() async throws {
        try await withAuthority { authority, _ in
            let agent = try AuthorityFixture.agent()
            let mission = try await AuthorityFixture.approvedMission(
                authority, agent: agent, envelope: AuthorityFixture.envelope())
            let ask = { @Sendable () async throws(AuthorityError) -> AccessOutcome in
                try await authority.requestAccess(
                    agent: agent, missionS256: mission.s256, resource: "https://flights.example", scopes: ["search"],
                    justification: nil)
            }
            _ = try await ask()  // warms the cache, so the suspension must invalidate it
            // Listings decode rows through a memo keyed on the row's bytes: each one shows the stored state.
            let listed = { () throws -> MissionState? in
                try authority.missions().items.first { $0.s256 == mission.s256 }?.state
            }
            #expect(try listed() == .active)
            try await authority.suspend(s256: mission.s256, reason: "investigating", by: AuthorityFixture.admin)
            #expect(try listed() == .suspended)
            await #expect(throws: AuthorityError.suspended) { try await ask() }
            await #expect(throws: AuthorityError.invalidTransition(current: "suspended")) {
                try await authority.suspend(s256: mission.s256, reason: nil, by: AuthorityFixture.admin)
            }
            await #expect(throws: AuthorityError.forbidden) {
                try await authority.resume(s256: mission.s256, reason: nil, by: AuthorityFixture.reviewer)
            }
            try await authority.resume(s256: mission.s256, reason: nil, by: AuthorityFixture.admin)
            #expect(try listed() == .active)
            guard case .granted = try await ask() else {
                Issue.record("expected a grant after resume")
                return
            }
            try await authority.revoke(s256: mission.s256, reason: "done with it", by: AuthorityFixture.admin)
            await #expect(throws: AuthorityError.terminated(reason: "revoked")) { try await ask() }
            await #expect(throws: AuthorityError.invalidTransition(current: "revoked")) {
                try await authority.resume(s256: mission.s256, reason: nil, by: AuthorityFixture.admin)
            }
            let page = try authority.missions(filter: MissionFilter(state: .revoked))
            #expect(page.items.map(\.s256) == [mission.s256])
            #expect(page.items.map(\.state) == [.revoked])
        }
    }

    @Test("expiry on the decision path is recorded and audited exactly once")
    func expiryAuditedOnce() async throws {
        try await withAuthority { authority, clock in
            let agent = try AuthorityFixture.agent()
            let mission = try await AuthorityFixture.approvedMission(
                authority, agent: agent, envelope: AuthorityFixture.envelope(), expiresIn: 60)
            clock.advance(by: 61)
            for _ in 0..<3 {
                await #expect(throws: AuthorityError.terminated(reason: "expired")) {
                    try await authority.requestAccess(
                        agent: agent, missionS256: mission.s256, resource: "https://flights.example",
                        scopes: ["search"],
                        justification: nil)
                }
            }
            #expect(try await authority.mission(s256: mission.s256, agent: agent).state == .expired)
            #expect(try await authority.expireDueMissions() == 0)
            let expiries = try authority.audit(mission: mission.s256).items.filter { $0.action == .missionExpired }
            #expect(expiries.count == 1)
        }
    }

    @Test("the sweep expires missions nobody touches")
    func sweepExpires() async throws {
        try await withAuthority { authority, clock in
            let agent = try AuthorityFixture.agent()
            let mission = try await AuthorityFixture.approvedMission(
                authority, agent: agent, envelope: AuthorityFixture.envelope(), expiresIn: 60)
            clock.advance(by: 60)
            #expect(try await authority.expireDueMissions() == 1)
            #expect(try authority.missionDetail(s256: mission.s256).mission.state == .expired)
        }
    }

    @Test("agent completion and description updates; business events apply their action")
    func agentCallsAndBusinessEvents() async throws {
        try await withAuthority { authority, _ in
            let agent = try AuthorityFixture.agent()
            let first = try await AuthorityFixture.approvedMission(
                authority, agent: agent, envelope: AuthorityFixture.envelope())
            let update = try await authority.update(
                s256: first.s256, agent: agent, description: "# Trip\n\nAlso a hotel.")
            #expect(update.missionS256 == first.s256 && update.sequence == 1)
            let done = try await authority.complete(s256: first.s256, agent: agent, summary: "Booked.")
            #expect(done.state == .completed && done.summary == "Booked.")

            let second = try await AuthorityFixture.approvedMission(
                authority, agent: agent, envelope: AuthorityFixture.envelope())
            let events = AdminPrincipal(keyID: "eventsk1", name: "tickets", role: .events)
            await #expect(throws: AuthorityError.invalidRequest("action: one of note, suspend, revoke, complete")) {
                try await authority.recordBusinessEvent(
                    s256: second.s256, type: "ticket_closed", source: "https://tickets.example", reference: "T-1",
                    action: try BusinessEventAction(parsing: "record"), by: events)
            }
            let noted = try await authority.recordBusinessEvent(
                s256: second.s256, type: "ticket_updated", source: "https://tickets.example", reference: "T-1",
                action: .note, by: events)
            #expect(noted.state == .active)
            let closed = try await authority.recordBusinessEvent(
                s256: second.s256, type: "ticket_closed", source: "https://tickets.example", reference: "T-1",
                action: .complete, by: events)
            #expect(closed.state == .completed)
            await #expect(throws: AuthorityError.forbidden) {
                try await authority.recordBusinessEvent(
                    s256: second.s256, type: "x", source: "https://tickets.example", reference: "T-2", action: .note,
                    by: AuthorityFixture.reviewer)
            }
            let actions = try authority.audit(mission: second.s256).items.map(\.action).suffix(3)
            #expect(Array(actions) == [.eventBusiness, .eventBusiness, .missionCompleted])
        }
    }
}
