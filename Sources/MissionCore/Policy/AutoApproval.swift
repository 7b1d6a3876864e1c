import Foundation

/// Decides whether a proposal can be approved by a rule, and with which envelope.
///
/// A proposal fits a rule when the agent matches, the requested lifetime is within the rule's,
/// and every requested resource is covered by one of the rule's grants: the pattern fits inside
/// the grant's pattern and the scopes inside its scopes. A resource named without scopes asks
/// for what the covering grant allows (the rule's maximum is by definition acceptable to the
/// operator). The envelope's grants hold only what was asked, never the rest of the rule; a
/// proposal that asks for no resources gets no grants (every token request outside the review
/// list is then denied until a reviewer amends it). The rule's `review` list does not take part
/// in the fit and becomes the envelope's review list whole. Rules are tried in order; the first
/// that fits wins.
public enum AutoApproval {
    /// The outcome.
    public enum Outcome: Hashable, Sendable {
        /// Approve with this envelope and mission lifetime (seconds); `ruleIndex` for the audit.
        case approve(envelope: AccessEnvelope, lifetime: Int, ruleIndex: Int)
        /// No rule fits: a human decides.
        case needsReviewer
    }

    /// The outcome for `agent`'s proposal asking for `resources` for `lifetime` seconds
    /// (`nil` = the rule's maximum).
    public static func evaluate(
        agent: String, resources: [ProposedResource], lifetime: Int?,
        rules: [AutoApprovalRule]
    ) -> Outcome {
        for (index, rule) in rules.enumerated() {
            if let envelope = fit(agent: agent, resources: resources, lifetime: lifetime, rule: rule) {
                return .approve(envelope: envelope, lifetime: lifetime ?? rule.maxLifetime, ruleIndex: index)
            }
        }
        return .needsReviewer
    }

    /// The envelope `rule` grants for the request, or `nil` when anything does not fit.
    public static func fit(
        agent: String, resources: [ProposedResource], lifetime: Int?,
        rule: AutoApprovalRule
    ) -> AccessEnvelope? {
        guard rule.agentPattern.matches(agent) else { return nil }
        if let lifetime, lifetime < 1 || lifetime > rule.maxLifetime { return nil }
        var grants: [AccessGrant] = []
        for requested in resources {
            let covering = rule.maxEnvelope.first { grant in
                grant.resource.covers(requested.resource) && requested.scopes.map(grant.scopes.covers) ?? true
            }
            guard let covering else { return nil }
            grants.append(AccessGrant(resource: requested.resource, scopes: requested.scopes ?? covering.scopes))
        }
        // Too many entries for one envelope: no fit, so a reviewer decides.
        return try? AccessEnvelope(grants: grants, review: rule.review, maxTokenLifetime: rule.maxTokenLifetime)
    }
}
