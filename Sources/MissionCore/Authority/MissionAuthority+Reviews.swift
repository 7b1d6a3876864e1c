import Foundation

extension MissionAuthority {
    /// Reviews, oldest first, optionally only those in `state` (recorded state: a pending review
    /// past its expiry shows as pending until a poll or `expireDueReviews` records it).
    public func reviews(state: ReviewState? = nil, cursor: String? = nil, limit: Int = 50) throws(AuthorityError)
        -> Page<Review>
    {
        let after = try MissionAuthority.position(of: cursor) ?? 0
        let limit = MissionAuthority.pageLimit(limit)
        let rows = try read { db in
            try db.rows(
                """
                SELECT rowid, id, record FROM reviews WHERE rowid > ? AND (? IS NULL OR state = ?)
                ORDER BY rowid LIMIT ?
                """,
                [
                    .integer(after), state.map { .text($0.rawValue) } ?? .null,
                    state.map { .text($0.rawValue) } ?? .null,
                    .int(limit + 1),
                ]
            ).map { row in (try row.int64(0), try ReviewRows.decode(row.text(2), id: row.text(1))) }
        }
        let page = Array(rows.prefix(limit))
        let next = rows.count > limit ? page.last.map { MissionAuthority.cursor($0.0) } : nil
        return Page(items: page.map(\.1), nextCursor: next)
    }

    /// One review, for a reviewer (`notFound` if absent).
    public func review(id: String) throws(AuthorityError) -> Review {
        guard let review = try read({ db in try ReviewRows.load(id, on: db) }) else { throw .notFound }
        return review
    }

    /// Approves a review. For a proposal (`.approveProposal`) the mission is composed and
    /// stored now and delivered on the agent's next poll; for an access request `.allowOnce`
    /// issues the token on the next poll, `.allowAndAmend` also appends an amendment (the
    /// mission's `s256` does not change) so similar requests pass directly from now on.
    @discardableResult
    public func approve(reviewID: String, decision: ReviewDecision, by principal: AdminPrincipal)
        async throws(AuthorityError) -> Review
    {
        try require(.decideReviews, principal)
        if case .deny(let reason) = decision {
            return try await deny(reviewID: reviewID, reason: reason, by: principal)
        }
        let settings = self.settings
        let random = self.random
        let approvedEntry = entry(.reviewApproved, by: principal, at: time.now(), decision: "approved")
        let (review, mission, version) = try await decide(reviewID) { review, db, now in
            var mission: Mission?
            var entries: [AuditEntry] = []
            switch (review.subject, decision) {
            case (.proposal(let proposal), .approveProposal(let editedText, let envelope, let expiresIn)):
                let lifetime = expiresIn ?? settings.defaultMissionLifetime
                let approval = try MissionApproval(
                    proposal: proposal, agent: review.owner, approvedAt: now,
                    expiresAt: lifetime.map { now + TimeInterval($0) }, envelope: envelope, editedText: editedText)
                let approved = MissionComposer.compose(approval, form: proposal.form, random: random)
                let created = Mission(
                    approved: approved, agent: review.owner, envelope: approval.envelope, createdAt: review.createdAt,
                    approvedAt: approval.approvedAt, expiresAt: approval.expiresAt)
                try review.decide(decision, by: principal.keyID, at: now, result: created.s256)
                try MissionRows.insert(created, originReview: review.id, on: db)
                var approvedMission = approvedEntry
                approvedMission.action = .missionApproved
                approvedMission.missionS256 = created.s256
                entries = [approvedMission]
                mission = created
            case (.accessRequest, .allowOnce):
                // Nothing changes on the mission: the token is issued at the agent's next poll.
                try review.decide(decision, by: principal.keyID, at: now)
            case (.accessRequest(let s256, _, _), .allowAndAmend(let grants)):
                guard var target = try MissionRows.load(s256, on: db) else { throw AuthorityError.notFound }
                let amendment = try MissionAmendment(
                    missionS256: s256, sequence: target.amendments.count + 1, addedGrants: grants,
                    reviewer: principal.keyID, amendedAt: now, reason: "review \(review.id)")
                try target.append(amendment, at: now)
                try review.decide(decision, by: principal.keyID, at: now, result: amendment.s256)
                try MissionRows.insert(amendment, on: db)
                try MissionRows.update(target, on: db)
                var amended = approvedEntry
                amended.action = .missionAmended
                amended.missionS256 = s256
                amended.details["amendment_s256"] = amendment.s256
                entries = [amended]
                mission = target
            default:
                throw AuthorityError.invalidRequest("the decision does not fit a \(review.kind.rawValue) review")
            }
            var reviewEntry = approvedEntry
            reviewEntry.details["review"] = review.id
            // The decision belongs to the mission's trail too (the created or the amended one).
            reviewEntry.missionS256 = mission?.s256
            if case .accessRequest(let s256, _, _) = review.subject { reviewEntry.missionS256 = s256 }
            return (mission, [reviewEntry] + entries)
        }
        if let mission { missions.install(mission, version: version) }
        return review
    }

    /// Denies a review (either kind), with a reason for the agent and the audit trail.
    @discardableResult
    public func deny(reviewID: String, reason: String?, by principal: AdminPrincipal) async throws(AuthorityError)
        -> Review
    {
        try require(.decideReviews, principal)
        let denied = entry(.reviewDenied, by: principal, at: time.now(), decision: "denied", reason: reason)
        return try await decide(reviewID) { review, _, now in
            try review.decide(.deny(reason: reason), by: principal.keyID, at: now)
            var reviewEntry = denied
            reviewEntry.details["review"] = review.id
            if case .accessRequest(let s256, _, _) = review.subject { reviewEntry.missionS256 = s256 }
            var entries = [reviewEntry]
            if review.kind == .proposal {
                var missionDenied = reviewEntry
                missionDenied.action = .missionDenied
                entries.append(missionDenied)
            }
            return (nil, entries)
        }.review
    }

    /// A reviewer asks the agent a clarification question (at most
    /// `settings.maxClarificationRounds` per review, one open at a time).
    @discardableResult
    public func clarify(reviewID: String, question: String, by principal: AdminPrincipal) async throws(AuthorityError)
        -> Review
    {
        try require(.decideReviews, principal)
        let rounds = settings.maxClarificationRounds
        let asked = entry(.reviewClarificationRequested, by: principal, at: time.now())
        return try await decide(reviewID) { review, _, now in
            guard review.rounds.count < rounds else {
                throw AuthorityError.conflict("at most \(rounds) clarification questions")
            }
            try review.ask(question, by: principal.keyID, at: now)
            var reviewEntry = asked
            reviewEntry.details["review"] = review.id
            return (nil, [reviewEntry])
        }.review
    }

    /// The owning agent answers the open clarification question.
    @discardableResult
    public func answerClarification(reviewID: String, agent: AgentPrincipal, answer: String)
        async throws(AuthorityError) -> Review
    {
        let answered = entry(.reviewClarified, agent: agent.id, at: time.now())
        return try await decide(reviewID, owner: agent.id) { review, _, now in
            try review.answer(answer, by: agent.id, at: now)
            var reviewEntry = answered
            reviewEntry.details["review"] = review.id
            return (nil, [reviewEntry])
        }.review
    }

    /// The owning agent withdraws its pending request; the pending URL answers 410 from now on.
    public func cancel(reviewID: String, agent: AgentPrincipal) async throws(AuthorityError) {
        let cancelled = entry(.reviewCancelled, agent: agent.id, at: time.now(), decision: "cancelled")
        _ = try await decide(reviewID, owner: agent.id) { review, _, now in
            try review.cancel(by: agent.id, at: now)
            var reviewEntry = cancelled
            reviewEntry.details["review"] = review.id
            return (nil, [reviewEntry])
        }
    }

    /// Returns when the review changes (decision, question, cancel), after `timeout`, or on
    /// task cancellation, whichever comes first. Holds no thread; the caller polls afterwards.
    /// Only changes after this call wake it: a caller that read the review's state first should
    /// use `waitForChange(reviewID:whilePending:timeout:)` or take a `reviewChangeMark()` before
    /// that read.
    public func waitForChange(reviewID: String, timeout: Duration) async {
        _ = await notifier.wait(for: reviewID, after: notifier.mark(), timeout: timeout)
    }

    /// The current point in the sequence of review changes: take it before reading a review's
    /// state, then wait with `waitForChange(reviewID:after:timeout:)`.
    public func reviewChangeMark() -> ReviewChangeMark { notifier.mark() }

    /// Returns true at once if the review changed after `mark`, else waits for a change (true),
    /// `timeout` or task cancellation (false). Holds no thread.
    @discardableResult
    public func waitForChange(reviewID: String, after mark: ReviewChangeMark, timeout: Duration) async -> Bool {
        await notifier.wait(for: reviewID, after: mark, timeout: timeout)
    }

    /// For a long poll that saw the review pending with `openQuestion`: returns true at once if
    /// it is no longer so (or cannot be read; the caller's next poll reports why), else waits for
    /// a change (true), `timeout` or task cancellation (false). The mark is taken before the
    /// state is read, so a decision landing at any moment after the caller's poll wakes it.
    @discardableResult
    public func waitForChange(reviewID: String, whilePending openQuestion: String?, timeout: Duration) async -> Bool {
        let mark = notifier.mark()
        guard let review = try? review(id: reviewID), review.state == .pending, review.openQuestion == openQuestion
        else { return true }
        return await notifier.wait(for: reviewID, after: mark, timeout: timeout)
    }

    /// Loads a review inside a durable write, records its expiry if due, runs `change`, stores
    /// it and appends the audit entries; then wakes long-polling agents. `owner`, when given,
    /// must own the review (else `notFound`, the same as a missing review).
    func decide(
        _ reviewID: String, owner: String? = nil,
        _ change: @escaping @Sendable (inout Review, SQLiteConnection, Date) throws -> (Mission?, [AuditEntry])
    ) async throws(AuthorityError) -> (review: Review, mission: Mission?, version: Int64) {
        let now = time.now()
        let expiredEntry = systemEntry(.reviewExpired, at: now, decision: "expired", details: ["review": reviewID])
        struct Outcome: Sendable {
            let review: Review
            let mission: Mission?
            let version: Int64
            let refusal: AuthorityError?
        }
        let outcome = try await durable { db, appender -> Outcome in
            guard var review = try ReviewRows.load(reviewID, on: db) else { throw AuthorityError.notFound }
            if let owner, !ConstantTime.equals(Array(review.owner.utf8), Array(owner.utf8)) {
                throw AuthorityError.notFound
            }
            if review.expireIfDue(at: now) {
                // Recorded even though the action is refused, so the expiry is audited once.
                try ReviewRows.save(review, on: db)
                var expired = expiredEntry
                if case .accessRequest(let s256, _, _) = review.subject { expired.missionS256 = s256 }
                let version = try appender.append([expired], on: db).last?.sequence ?? 0
                return Outcome(review: review, mission: nil, version: version, refusal: .expired)
            }
            let (mission, entries) = try change(&review, db, now)
            try ReviewRows.save(review, on: db)
            let version = try appender.append(entries, on: db).last?.sequence ?? 0
            return Outcome(review: review, mission: mission, version: version, refusal: nil)
        }
        notifier.notify(reviewID)
        if let refusal = outcome.refusal { throw refusal }
        return (outcome.review, outcome.mission, outcome.version)
    }
}
