import Foundation

extension MissionAuthority {
    /// Takes a mission proposal (either form, see `MissionProposal.decode`). An auto-approval
    /// rule that fits approves it at once; otherwise a reviewer decides and the agent polls.
    /// Pseudonymous agents (`urn:jkt:…`) need a registered key unless
    /// `settings.allowPseudonymousAgents`.
    public func propose(agent: AgentPrincipal, proposal: MissionProposal) async throws(AuthorityError)
        -> ProposalOutcome
    {
        if agent.isPseudonymous, !settings.allowPseudonymousAgents {
            let thumbprint = String(agent.id.dropFirst(JWK.thumbprintURIPrefix.count))
            guard try isRegisteredAgentKey(thumbprint: thumbprint) else { throw .forbidden }
        }
        let now = time.now()
        let proposed = entry(
            .missionProposed, agent: agent.id, at: now, details: ["form": proposal.form.rawValue])
        switch AutoApproval.evaluate(
            agent: agent.id, resources: proposal.resources, lifetime: settings.defaultMissionLifetime,
            rules: settings.autoApprovalRules)
        {
        case .approve(let envelope, let lifetime, let ruleIndex):
            let approval: MissionApproval
            do {
                approval = try MissionApproval(
                    proposal: proposal, agent: agent.id, approvedAt: now,
                    expiresAt: now + TimeInterval(lifetime), envelope: envelope)
            } catch { throw AuthorityError(error) }
            let approved = MissionComposer.compose(approval, form: proposal.form, random: random)
            let mission = Mission(
                approved: approved, agent: agent.id, envelope: approval.envelope, createdAt: now,
                approvedAt: approval.approvedAt, expiresAt: approval.expiresAt)
            let approvedEntry = systemEntry(
                .missionApproved, at: now, mission: mission.s256, decision: "approved",
                details: ["rule": String(ruleIndex)])
            let version = try await durable { db, appender in
                try MissionRows.insert(mission, originReview: nil, on: db)
                var first = proposed
                first.missionS256 = mission.s256
                return try appender.append([first, approvedEntry], on: db).last?.sequence ?? 0
            }
            missions.install(mission, version: version)
            return .approved(mission)
        case .needsReviewer:
            let review = Review.make(
                subject: .proposal(proposal), owner: agent.id, at: now,
                lifetime: TimeInterval(settings.proposalReviewLifetime), random: random)
            let created = systemEntry(
                .reviewCreated, at: now, details: ["review": review.id, "kind": review.kind.rawValue])
            try await durable { db, appender in
                try ReviewRows.save(review, on: db)
                var first = proposed
                first.details["review"] = review.id
                try appender.append([first, created], on: db)
            }
            return .pending(review, retryAfter: settings.pollInterval)
        }
    }
}
