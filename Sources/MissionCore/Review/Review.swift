import Foundation

/// A pending proposal or access request awaiting a human (DESIGN §3.2–3.3; wire notes §3).
///
/// Its `id` is the unguessable part of the pending URL ([M] §Pending URL Security). The agent
/// polls it, answers clarification questions and may cancel it; a reviewer asks questions and
/// decides. Time is always passed in, so expiry and `slow_down` are deterministic.
///
/// ```swift
/// var review = Review.make(subject: .proposal(proposal), owner: agent, at: now, lifetime: 3600, random: random)
/// try review.ask("Which fares?", by: "reviewer-1", at: now)
/// try review.answer("Economy only", by: agent, at: now)
/// try review.decide(.deny(reason: "not today"), by: "reviewer-1", at: now)
/// review.poll(at: now, minimumInterval: 5)    // .terminal(.denied, …), then .gone
/// ```
public struct Review: Hashable, Codable, Sendable {
    /// At most five clarification questions ([M] security section recommends five).
    public static let maximumQuestions = 5
    /// The longest question or answer accepted.
    public static let maximumMessageBytes = 16 * 1024
    /// Random bytes in an id: 128 bits, rendered as 22 base64url characters.
    public static let idByteCount = 16

    public let id: String
    /// The agent that made the request; only it may poll, answer and cancel.
    public let owner: String
    public let subject: ReviewSubject
    public let createdAt: Date
    public let expiresAt: Date
    public private(set) var state: ReviewState
    public private(set) var rounds: [ClarificationRound]
    public private(set) var decision: ReviewDecision?
    /// Who decided (reviewer key id), or the agent for a cancel.
    public private(set) var decidedBy: String?
    public private(set) var decidedAt: Date?
    /// What the decision produced, for the poll that delivers it: e.g. the approved mission's
    /// `s256`, or the `jti` of a token issued on approval (set by the caller that produced it).
    public private(set) var resultReference: String?
    /// When the terminal answer was handed to a poll; later polls get 410.
    public private(set) var deliveredAt: Date?
    /// The last poll that was answered, for `slow_down`.
    public private(set) var lastPolledAt: Date?

    /// The kind of review.
    public var kind: ReviewKind { subject.kind }

    /// A new pending review with a fresh 128-bit id from `random`.
    public static func make(
        subject: ReviewSubject, owner: String, at now: Date, lifetime: TimeInterval,
        random: any RandomSource
    ) -> Review {
        Review(
            id: random.identifier(byteCount: idByteCount), owner: owner, subject: subject,
            createdAt: now, expiresAt: now + max(lifetime, 1))
    }

    /// A pending review with a given id (for reloading and tests; new reviews use `make`).
    public init(id: String, owner: String, subject: ReviewSubject, createdAt: Date, expiresAt: Date) {
        self.id = id
        self.owner = owner
        self.subject = subject
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.state = .pending
        self.rounds = []
    }

    /// The state with expiry applied: pending at or past `expiresAt` is `expired`.
    public func effectiveState(at now: Date) -> ReviewState {
        state == .pending && now >= expiresAt ? .expired : state
    }

    /// Records expiry; `true` only on the call that made the change (audit `review.expired` once).
    @discardableResult
    public mutating func expireIfDue(at now: Date) -> Bool {
        guard effectiveState(at: now) == .expired, state == .pending else { return false }
        state = .expired
        decidedAt = expiresAt
        return true
    }

    /// The open question, if the agent owes an answer.
    public var openQuestion: String? { rounds.last.flatMap { $0.isOpen ? $0.question : nil } }

    /// A reviewer asks a question. Only while pending, one open question at a time, five at most.
    public mutating func ask(_ question: String, by reviewer: String, at now: Date) throws(MissionError) {
        try requirePending(at: now, event: .approve)
        try Review.validateMessage(question, member: "question")
        guard openQuestion == nil else { throw .clarificationNotAllowed("a question is already open") }
        guard rounds.count < Review.maximumQuestions else {
            throw .clarificationNotAllowed("at most \(Review.maximumQuestions) questions")
        }
        rounds.append(ClarificationRound(question: question, askedBy: reviewer, askedAt: now))
    }

    /// The owning agent answers the open question.
    public mutating func answer(_ text: String, by agent: String, at now: Date) throws(MissionError) {
        try requirePending(at: now, event: .approve)
        guard agent == owner else { throw .clarificationNotAllowed("only the requesting agent answers") }
        try Review.validateMessage(text, member: "clarification_response")
        guard let last = rounds.indices.last, rounds[last].isOpen else {
            throw .clarificationNotAllowed("no question is open")
        }
        rounds[last].answer = text
        rounds[last].answeredAt = now
    }

    /// A reviewer decides. The decision must fit the review's kind; only a pending review can be
    /// decided, so the first decision wins. `result` is kept as `resultReference`.
    public mutating func decide(
        _ decision: ReviewDecision, by reviewer: String, at now: Date, result: String? = nil
    ) throws(MissionError) {
        guard decision.fits(kind) else {
            throw .decisionMismatch("\(decision.event) payload does not fit a \(kind.rawValue) review")
        }
        if case .approveProposal(let editedText, _, let expiresIn) = decision {
            if let editedText { try MissionProposal.validateText(editedText, member: "text") }
            if let expiresIn, expiresIn < 1 || Double(expiresIn) > MissionApproval.maximumLifetime {
                throw .invalidEnvelope("expires_in must be 1…\(Int(MissionApproval.maximumLifetime)) seconds")
            }
        }
        if case .allowAndAmend(let grants) = decision, grants.isEmpty {
            throw .invalidEnvelope("allow and amend needs at least one grant")
        }
        if case .deny(let reason?) = decision, reason.utf8.count > Review.maximumMessageBytes {
            throw .decisionMismatch("reason: longer than \(Review.maximumMessageBytes) bytes")
        }
        try transition(decision.event, at: now)
        self.decision = decision
        resultReference = result
        decidedBy = reviewer
        decidedAt = now
    }

    /// The owning agent withdraws the request (`DELETE` on the pending URL).
    public mutating func cancel(by agent: String, at now: Date) throws(MissionError) {
        guard agent == owner else { throw .clarificationNotAllowed("only the requesting agent cancels") }
        try transition(.cancel, at: now)
        decidedBy = agent
        decidedAt = now
        // Wire notes §3.2: after a cancel the URL answers 410; there is nothing left to deliver.
        deliveredAt = now
    }

    /// Answers a poll at `now`. `minimumInterval` is the `Retry-After` the MA advertised: polling
    /// sooner gets `slow_down` (and does not move the reference time, so a client cannot push
    /// its own window). The terminal answer is delivered once; afterwards every poll is `gone`
    /// (wire notes §3.2, D3: a lost 200 is not replayed).
    public mutating func poll(at now: Date, minimumInterval: TimeInterval) -> PollOutcome {
        if deliveredAt != nil { return .gone }
        expireIfDue(at: now)
        if state.isTerminal {
            deliveredAt = now
            lastPolledAt = now
            return .terminal(state, decision)
        }
        if let last = lastPolledAt, now < last + minimumInterval { return .slowDown }
        lastPolledAt = now
        return .pending(openQuestion: openQuestion)
    }

    private mutating func transition(_ event: ReviewEvent, at now: Date) throws(MissionError) {
        let current = effectiveState(at: now)
        state = try ReviewLifecycle.next(from: current, on: event)
    }

    private func requirePending(at now: Date, event: ReviewEvent) throws(MissionError) {
        let current = effectiveState(at: now)
        guard current == .pending else { throw .invalidReviewTransition(from: current, event: event) }
    }

    private static func validateMessage(_ text: String, member: String) throws(MissionError) {
        guard !text.unicodeScalars.allSatisfy(\.properties.isWhitespace) else {
            throw .clarificationNotAllowed("\(member): empty")
        }
        guard text.utf8.count <= maximumMessageBytes else {
            throw .clarificationNotAllowed("\(member): longer than \(maximumMessageBytes) bytes")
        }
    }
}
