import Foundation

extension MissionAuthority {
    /// The owning agent polls its pending URL. Another agent's review answers `notFound`, the
    /// same as a missing one. A terminal answer is delivered once, then `gone`; an allowed
    /// access request gets its token now (signed, then recorded durably before it is returned).
    public func poll(reviewID: String, agent: AgentPrincipal) async throws(AuthorityError) -> ReviewPollOutcome {
        guard let current = try read({ db in try ReviewRows.load(reviewID, on: db) }),
            ConstantTime.equals(Array(current.owner.utf8), Array(agent.id.utf8))
        else { throw .notFound }
        let now = time.now()
        // An allowed access request not yet delivered: prepare the token outside the writer.
        if current.deliveredAt == nil, current.state == .approved,
            case .accessRequest(let s256, let request, _) = current.subject
        {
            return try await deliverToken(review: current, missionS256: s256, request: request, agent: agent, at: now)
        }
        let interval = TimeInterval(settings.pollInterval)
        let expiredEntry = systemEntry(.reviewExpired, at: now, decision: "expired", details: ["review": reviewID])
        let outcome = try await durable { db, appender -> (PollOutcome, Review) in
            guard var review = try ReviewRows.load(reviewID, on: db) else { throw AuthorityError.notFound }
            let wasPending = review.state == .pending
            let outcome = review.poll(at: now, minimumInterval: interval)
            if case .slowDown = outcome { return (outcome, review) }
            try ReviewRows.save(review, on: db)
            if wasPending, review.state == .expired {
                var expired = expiredEntry
                if case .accessRequest(let s256, _, _) = review.subject { expired.missionS256 = s256 }
                try appender.append([expired], on: db)
            }
            return (outcome, review)
        }
        switch outcome.0 {
        case .pending(let question): return .pending(retryAfter: settings.pollInterval, openQuestion: question)
        case .slowDown: return .slowDown(retryAfter: settings.pollInterval)
        case .gone: return .gone
        case .terminal(.approved, _):
            guard let s256 = outcome.1.resultReference, let mission = try loadMission(s256) else {
                throw .corruptRecord("review \(reviewID): approved without a mission")
            }
            return .approved(mission)
        case .terminal(.denied, let decision):
            if case .deny(let reason)? = decision { return .denied(reason: reason) }
            return .denied(reason: nil)
        case .terminal(.expired, _): return .expired
        case .terminal: return .gone
        }
    }

    /// Issues the token an allowed access request earned and marks the answer delivered, in one
    /// durable write; a concurrent poll that delivered first makes this one `gone`.
    private func deliverToken(
        review: Review, missionS256: String, request: AccessRequest, agent: AgentPrincipal, at now: Date
    ) async throws(AuthorityError) -> ReviewPollOutcome {
        guard let mission = try loadMission(missionS256) else { throw .notFound }
        if mission.effectiveState(at: now) == .expired, mission.state != .expired { try await recordExpiry(mission) }
        switch mission.effectiveState(at: now) {
        case .active: break
        case .suspended: throw .suspended
        case let state: throw .terminated(reason: state.rawValue)
        }
        let expiry = [mission.expiresAt, mission.effectiveEnvelope.expiresAt].compactMap { $0 }.min()
        guard
            let lifetime = AccessEvaluator.tokenLifetime(
                maximum: mission.effectiveEnvelope.maxTokenLifetime, expiresAt: expiry, now: now)
        else { throw .denied(reason: AccessDecision.DenialReason.missionExpiresTooSoon.rawValue, outside: []) }
        let prepared = try prepareToken(
            mission: mission, agent: agent, resource: request.resource.description, scopes: request.scopes,
            lifetime: lifetime, at: now)
        let reviewID = review.id
        let interval = TimeInterval(settings.pollInterval)
        let granted = entry(
            .accessGranted, agent: agent.id, at: now, mission: missionS256, resource: prepared.issued.resource,
            scopes: prepared.issued.scopes, decision: "granted", reason: "allowed by a reviewer",
            tokenID: prepared.issued.jti, details: ["review": reviewID])
        enum Delivery: Sendable {
            case delivered, alreadyDelivered
            case refused(AuthorityError)
        }
        let delivery = try await durable { db, appender -> Delivery in
            guard var stored = try ReviewRows.load(reviewID, on: db), stored.deliveredAt == nil else {
                return .alreadyDelivered
            }
            // The mission is re-checked first; a refusal is audited and the answer stays
            // undelivered, so the agent can poll again once the mission is resumed.
            if let refusal = try MissionAuthority.recordGrant(
                prepared, upstreamJTI: nil, entry: granted, on: db, appender: appender)
            {
                return .refused(refusal)
            }
            _ = stored.poll(at: now, minimumInterval: interval)
            try ReviewRows.save(stored, on: db)
            return .delivered
        }
        switch delivery {
        case .delivered: return .granted(prepared.issued)
        case .alreadyDelivered: return .gone
        case .refused(let refusal):
            missions.remove(missionS256)
            throw refusal
        }
    }
}
