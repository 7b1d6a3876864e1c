import Foundation
import Testing

@testable import MissionCore

@Suite("MissionAuthority: proposals and reviews")
struct AuthorityReviewTests {
    @Test(
        "a proposal that fits a rule is approved at once, in the proposal's form",
        arguments: [
            ApprovedMission.Form.markdown, .blob,
        ])
    func autoApproved(form: ApprovedMission.Form) async throws {
        try await withAuthority(configure: { $0.autoApprovalRules = [try AuthorityFixture.flightsRule()] }) {
            authority, clock in
            let agent = try AuthorityFixture.agent()
            let proposal = try AuthorityFixture.proposal(
                form: form, resources: [("https://flights.example", ["search"])])
            guard case .approved(let mission) = try await authority.propose(agent: agent, proposal: proposal) else {
                Issue.record("expected an approval")
                return
            }
            #expect(mission.state == .active)
            #expect(mission.approved.form == form)
            #expect(mission.agent == agent.id)
            #expect(mission.expiresAt == RFC3339.truncatedToSeconds(clock.now()) + 86_400)
            if form == .blob { #expect(!mission.approved.text.contains("approver")) }
            #expect(try await authority.mission(s256: mission.s256, agent: agent) == mission)
            let actions = try authority.audit(mission: mission.s256).items.map(\.action)
            #expect(actions == [.missionProposed, .missionApproved])
        }
    }

    @Test("pending → approve → poll delivers the mission once, then 410")
    func pendingApprovePollGone() async throws {
        try await withAuthority { authority, clock in
            let agent = try AuthorityFixture.agent()
            guard
                case .pending(let review, let retry) = try await authority.propose(
                    agent: agent, proposal: AuthorityFixture.proposal())
            else {
                Issue.record("expected a pending proposal")
                return
            }
            #expect(retry == 5)
            #expect(
                try await authority.poll(reviewID: review.id, agent: agent)
                    == .pending(retryAfter: 5, openQuestion: nil))
            #expect(try await authority.poll(reviewID: review.id, agent: agent) == .slowDown(retryAfter: 5))
            clock.advance(by: 5)
            let envelope = try AuthorityFixture.envelope()
            let decided = try await authority.approve(
                reviewID: review.id,
                decision: .approveProposal(editedText: "# Trip\n\nEdited.", envelope: envelope, expiresIn: 600),
                by: AuthorityFixture.reviewer)
            #expect(decided.state == .approved)
            guard case .approved(let mission) = try await authority.poll(reviewID: review.id, agent: agent) else {
                Issue.record("expected the mission")
                return
            }
            #expect(mission.approved.text.hasPrefix("# Trip\n\nEdited."))
            #expect(mission.envelope.grants == envelope.grants)
            #expect(try await authority.poll(reviewID: review.id, agent: agent) == .gone)
            #expect(try authority.reviews(state: .approved).items.map(\.id) == [review.id])
        }
    }

    @Test("a reviewer's denial is delivered once with its reason; nobody else can poll, answer or cancel")
    func denyAndForeignAgent() async throws {
        try await withAuthority { authority, _ in
            let agent = try AuthorityFixture.agent()
            let other = try AuthorityFixture.agent("aauth:other@agent.example")
            guard
                case .pending(let review, _) = try await authority.propose(
                    agent: agent, proposal: AuthorityFixture.proposal())
            else { return }
            await #expect(throws: AuthorityError.notFound) {
                try await authority.poll(reviewID: review.id, agent: other)
            }
            await #expect(throws: AuthorityError.notFound) { try await authority.poll(reviewID: "nope", agent: agent) }
            await #expect(throws: AuthorityError.notFound) {
                try await authority.cancel(reviewID: review.id, agent: other)
            }
            await #expect(throws: AuthorityError.forbidden) {
                try await authority.deny(reviewID: review.id, reason: "x", by: AuthorityFixture.auditor)
            }
            try await authority.deny(reviewID: review.id, reason: "not today", by: AuthorityFixture.reviewer)
            await #expect(throws: AuthorityError.invalidTransition(current: "denied")) {
                try await authority.approve(
                    reviewID: review.id, decision: .approveProposal(editedText: nil, envelope: .empty, expiresIn: nil),
                    by: AuthorityFixture.reviewer)
            }
            #expect(try await authority.poll(reviewID: review.id, agent: agent) == .denied(reason: "not today"))
            #expect(try await authority.poll(reviewID: review.id, agent: agent) == .gone)
        }
    }

    @Test("clarification rounds: question, answer, up to five, one open at a time")
    func clarificationRounds() async throws {
        try await withAuthority { authority, clock in
            let agent = try AuthorityFixture.agent()
            guard
                case .pending(let review, _) = try await authority.propose(
                    agent: agent, proposal: AuthorityFixture.proposal())
            else { return }
            for round in 1...5 {
                try await authority.clarify(
                    reviewID: review.id, question: "Question \(round)?", by: AuthorityFixture.reviewer)
                await #expect(throws: AuthorityError.self) {
                    try await authority.clarify(
                        reviewID: review.id, question: "Another?", by: AuthorityFixture.reviewer)
                }
                clock.advance(by: 5)
                #expect(
                    try await authority.poll(reviewID: review.id, agent: agent)
                        == .pending(retryAfter: 5, openQuestion: "Question \(round)?"))
                try await authority.answerClarification(reviewID: review.id, agent: agent, answer: "Answer \(round)")
            }
            await #expect(throws: AuthorityError.conflict("at most 5 clarification questions")) {
                try await authority.clarify(reviewID: review.id, question: "Sixth?", by: AuthorityFixture.reviewer)
            }
            let stored = try authority.review(id: review.id)
            #expect(stored.rounds.map(\.answer) == (1...5).map { "Answer \($0)" })
        }
    }

    @Test("waitForChange returns when a reviewer decides, and on its timeout otherwise")
    func waitForChange() async throws {
        try await withAuthority { authority, _ in
            let agent = try AuthorityFixture.agent()
            guard
                case .pending(let review, _) = try await authority.propose(
                    agent: agent, proposal: AuthorityFixture.proposal())
            else { return }
            await authority.waitForChange(reviewID: review.id, timeout: .milliseconds(1))
            async let woken: Void = authority.waitForChange(reviewID: review.id, timeout: .seconds(600))
            try await waitUntil("the waiter is registered") { authority.notifier.waiterCount == 1 }
            try await authority.deny(reviewID: review.id, reason: nil, by: AuthorityFixture.reviewer)
            await woken
            #expect(authority.notifier.waiterCount == 0)
        }
    }

    @Test("a decision landing after the caller's read but before its wait still wakes the wait")
    func waitAfterMarkSeesEarlierDecision() async throws {
        try await withAuthority { authority, _ in
            let agent = try AuthorityFixture.agent()
            guard
                case .pending(let review, _) = try await authority.propose(
                    agent: agent, proposal: AuthorityFixture.proposal())
            else {
                Issue.record("expected a pending review")
                return
            }
            let mark = authority.reviewChangeMark()
            // The agent's poll happened before the mark; the reviewer decides before the wait starts.
            try await authority.deny(reviewID: review.id, reason: nil, by: AuthorityFixture.reviewer)
            // A zero timeout: only a change already recorded after `mark` can make this true.
            #expect(await authority.waitForChange(reviewID: review.id, after: mark, timeout: .zero))
            let later = authority.reviewChangeMark()
            #expect(later > mark)
            #expect(await authority.waitForChange(reviewID: review.id, after: later, timeout: .zero) == false)
            #expect(authority.notifier.waiterCount == 0)
        }
    }

    @Test("waitForChange(whilePending:) returns at once when the review already moved on")
    func waitWhilePendingChecksStateAfterRegistering() async throws {
        try await withAuthority { authority, _ in
            let agent = try AuthorityFixture.agent()
            guard
                case .pending(let review, _) = try await authority.propose(
                    agent: agent, proposal: AuthorityFixture.proposal())
            else {
                Issue.record("expected a pending review")
                return
            }
            #expect(await authority.waitForChange(reviewID: review.id, whilePending: nil, timeout: .zero) == false)
            try await authority.clarify(reviewID: review.id, question: "Why?", by: AuthorityFixture.reviewer)
            // The agent last saw no question: the question counts as the change.
            #expect(await authority.waitForChange(reviewID: review.id, whilePending: nil, timeout: .zero))
            #expect(await authority.waitForChange(reviewID: review.id, whilePending: "Why?", timeout: .zero) == false)
            try await authority.deny(reviewID: review.id, reason: nil, by: AuthorityFixture.reviewer)
            #expect(await authority.waitForChange(reviewID: review.id, whilePending: "Why?", timeout: .zero))
            #expect(await authority.waitForChange(reviewID: "no-such-review", whilePending: nil, timeout: .zero))
            // A registered waiter is still woken by the change it waits for.
            guard
                case .pending(let second, _) = try await authority.propose(
                    agent: agent, proposal: AuthorityFixture.proposal())
            else {
                Issue.record("expected a pending review")
                return
            }
            async let woken = authority.waitForChange(reviewID: second.id, whilePending: nil, timeout: .seconds(600))
            try await waitUntil("the waiter is registered") { authority.notifier.waiterCount == 1 }
            try await authority.deny(reviewID: second.id, reason: nil, by: AuthorityFixture.reviewer)
            #expect(await woken)
        }
    }

    @Test("cancel makes the pending URL gone; an expired review answers expired once")
    func cancelAndExpiry() async throws {
        try await withAuthority { authority, clock in
            let agent = try AuthorityFixture.agent()
            guard
                case .pending(let first, _) = try await authority.propose(
                    agent: agent, proposal: AuthorityFixture.proposal())
            else { return }
            try await authority.cancel(reviewID: first.id, agent: agent)
            #expect(try await authority.poll(reviewID: first.id, agent: agent) == .gone)
            guard
                case .pending(let second, _) = try await authority.propose(
                    agent: agent, proposal: AuthorityFixture.proposal())
            else { return }
            clock.advance(by: 86_400)
            #expect(try await authority.expireDueReviews() == 1)
            #expect(try await authority.expireDueReviews() == 0)
            #expect(try await authority.poll(reviewID: second.id, agent: agent) == .expired)
            #expect(try await authority.poll(reviewID: second.id, agent: agent) == .gone)
            await #expect(throws: AuthorityError.expired) {
                try await authority.deny(reviewID: second.id, reason: nil, by: AuthorityFixture.reviewer)
            }
            let expiries = try authority.audit(after: 0, limit: 500).filter { $0.action == .reviewExpired }
            #expect(expiries.count == 1)
        }
    }

    @Test("pseudonymous agents need a registered key unless allowed")
    func pseudonymousAgents() async throws {
        try await withAuthority { authority, _ in
            let key = try Ed25519.PrivateKey()
            let jwk = JWK(publicKey: key.publicKey)
            let agent = AgentPrincipal(id: jwk.thumbprintURI(), publicKey: jwk)
            await #expect(throws: AuthorityError.forbidden) {
                try await authority.propose(agent: agent, proposal: AuthorityFixture.proposal())
            }
            try await authority.registerAgentKey(name: "laptop", jwk: jwk.jsonString, by: AuthorityFixture.admin)
            #expect(try authority.isRegisteredAgentKey(thumbprint: jwk.thumbprint()))
            _ = try await authority.propose(agent: agent, proposal: AuthorityFixture.proposal())
            try await authority.removeAgentKey(thumbprint: jwk.thumbprint(), by: AuthorityFixture.admin)
            #expect(try !authority.isRegisteredAgentKey(thumbprint: jwk.thumbprint()))
        }
    }
}
