import Foundation
import Testing
@testable import MissionCore

@Suite struct ReviewLifecycleTests {
    static let pairs: [(ReviewState, ReviewEvent)] = ReviewState.allCases.flatMap { state in
        ReviewEvent.allCases.map { (state, $0) }
    }
    static let expected: [String: String] = [
        "pending.approve": "approved", "pending.deny": "denied", "pending.cancel": "cancelled",
        "pending.expire": "expired",
    ]

    @Test(arguments: pairs)
    func everyStateAndEvent(state: ReviewState, event: ReviewEvent) throws {
        if let next = Self.expected["\(state.rawValue).\(event.rawValue)"] {
            #expect(try ReviewLifecycle.next(from: state, on: event).rawValue == next)
        } else {
            #expect(throws: MissionError.invalidReviewTransition(from: state, event: event)) {
                try ReviewLifecycle.next(from: state, on: event)
            }
        }
    }
}

@Suite struct ReviewTests {
    static let start = Fixture.approvedAt
    static let reviewer = "key-rev1"

    private func makeProposalReview(random: CountingRandomSource = CountingRandomSource()) throws -> Review {
        let proposal = try MissionProposal(form: .markdown, text: "# Trip")
        return Review.make(
            subject: .proposal(proposal), owner: Fixture.agent, at: Self.start, lifetime: 600, random: random)
    }

    private func makeAccessReview() throws -> Review {
        let request = try AccessRequest(resource: "https://flights.example", scopes: ["book"])
        return Review.make(
            subject: .accessRequest(missionS256: "m", request: request, outside: ["book"]),
            owner: Fixture.agent, at: Self.start, lifetime: 600, random: CountingRandomSource())
    }

    @Test func idsAreLongAndDistinct() throws {
        let random = CountingRandomSource()
        let first = try makeProposalReview(random: random)
        let second = try makeProposalReview(random: random)
        #expect(first.id.count == 22)  // 128 bits
        #expect(first.id != second.id)
        #expect(first.kind == .proposal)
    }

    @Test func clarificationRounds() throws {
        var review = try makeProposalReview()
        let now = Self.start + 1
        #expect(throws: MissionError.clarificationNotAllowed("no question is open")) {
            try review.answer("unprompted", by: Fixture.agent, at: now)
        }
        try review.ask("Which airline?", by: Self.reviewer, at: now)
        #expect(review.openQuestion == "Which airline?")
        #expect(throws: MissionError.clarificationNotAllowed("a question is already open")) {
            try review.ask("And when?", by: Self.reviewer, at: now)
        }
        #expect(throws: MissionError.clarificationNotAllowed("only the requesting agent answers")) {
            try review.answer("Any", by: "aauth:intruder@evil.example", at: now)
        }
        try review.answer("Any", by: Fixture.agent, at: now)
        #expect(review.openQuestion == nil)
        #expect(review.rounds.first?.answer == "Any")
    }

    @Test func atMostFiveQuestions() throws {
        var review = try makeProposalReview()
        for round in 1...5 {
            try review.ask("Q\(round)?", by: Self.reviewer, at: Self.start + 1)
            try review.answer("A\(round)", by: Fixture.agent, at: Self.start + 1)
        }
        #expect(throws: MissionError.clarificationNotAllowed("at most 5 questions")) {
            try review.ask("Q6?", by: Self.reviewer, at: Self.start + 2)
        }
        #expect(review.rounds.count == 5)
    }

    @Test func decisionsMustFitTheKind() throws {
        var proposal = try makeProposalReview()
        #expect(throws: MissionError.self) { try proposal.decide(.allowOnce, by: Self.reviewer, at: Self.start) }
        var access = try makeAccessReview()
        #expect(throws: MissionError.self) {
            try access.decide(
                .approveProposal(editedText: nil, envelope: .empty, expiresIn: 60), by: Self.reviewer, at: Self.start)
        }
        #expect(throws: MissionError.self) {
            try access.decide(.allowAndAmend(grants: []), by: Self.reviewer, at: Self.start)
        }
        try access.decide(.allowOnce, by: Self.reviewer, at: Self.start + 1, result: "jti-1")
        #expect(access.state == .approved)
        #expect(access.resultReference == "jti-1")
        #expect(access.decidedBy == Self.reviewer)
    }

    @Test func firstDecisionWins() throws {
        var review = try makeProposalReview()
        try review.decide(.deny(reason: "no"), by: Self.reviewer, at: Self.start + 1)
        #expect(throws: MissionError.invalidReviewTransition(from: .denied, event: .approve)) {
            try review.decide(
                .approveProposal(editedText: "edited", envelope: .empty, expiresIn: nil), by: "other",
                at: Self.start + 2)
        }
        #expect(throws: MissionError.invalidReviewTransition(from: .denied, event: .cancel)) {
            try review.cancel(by: Fixture.agent, at: Self.start + 2)
        }
        #expect(throws: MissionError.self) { try review.ask("late?", by: Self.reviewer, at: Self.start + 3) }
    }

    @Test func expiry() throws {
        var review = try makeProposalReview()
        #expect(review.effectiveState(at: Self.start + 599) == .pending)
        #expect(review.effectiveState(at: Self.start + 600) == .expired)
        #expect(throws: MissionError.invalidReviewTransition(from: .expired, event: .approve)) {
            try review.decide(
                .approveProposal(editedText: nil, envelope: .empty, expiresIn: 60), by: Self.reviewer,
                at: Self.start + 600)
        }
        #expect(throws: MissionError.invalidReviewTransition(from: .expired, event: .deny)) {
            try review.decide(.deny(reason: nil), by: Self.reviewer, at: Self.start + 600)
        }
        let first = review.expireIfDue(at: Self.start + 700)
        let second = review.expireIfDue(at: Self.start + 800)
        #expect(first && !second)
    }

    @Test func pollingDeliversTheAnswerOnceThenGone() throws {
        var review = try makeProposalReview()
        #expect(review.poll(at: Self.start + 5, minimumInterval: 5) == .pending(openQuestion: nil))
        #expect(review.poll(at: Self.start + 7, minimumInterval: 5) == .slowDown)
        try review.ask("Why?", by: Self.reviewer, at: Self.start + 8)
        #expect(review.poll(at: Self.start + 10, minimumInterval: 5) == .pending(openQuestion: "Why?"))
        try review.decide(.deny(reason: "no"), by: Self.reviewer, at: Self.start + 11)
        #expect(review.poll(at: Self.start + 12, minimumInterval: 5) == .terminal(.denied, .deny(reason: "no")))
        #expect(review.poll(at: Self.start + 30, minimumInterval: 5) == .gone)
    }

    @Test func pollingAfterExpiryGivesExpiredOnce() throws {
        var review = try makeProposalReview()
        #expect(review.poll(at: Self.start + 601, minimumInterval: 5) == .terminal(.expired, nil))
        #expect(review.poll(at: Self.start + 700, minimumInterval: 5) == .gone)
    }

    @Test func cancelledIsGone() throws {
        var review = try makeAccessReview()
        #expect(throws: MissionError.self) { try review.cancel(by: "aauth:other@x.example", at: Self.start) }
        try review.cancel(by: Fixture.agent, at: Self.start + 1)
        #expect(review.state == .cancelled)
        #expect(review.poll(at: Self.start + 10, minimumInterval: 5) == .gone)
    }

    @Test func reviewRoundTripsThroughCodable() throws {
        var review = try makeAccessReview()
        try review.decide(
            .allowAndAmend(grants: [try AccessGrant(resource: "https://flights.example", scopes: ["book"])]),
            by: Self.reviewer, at: Self.start + 1)
        #expect(try JSONDecoder().decode(Review.self, from: JSONEncoder().encode(review)) == review)
    }
}
