import Foundation

/// What a reviewer decided, with the payload the decision carries.
public enum ReviewDecision: Hashable, Codable, Sendable {
    /// Approve a proposal: optionally edited text, the envelope, and how long the mission lives
    /// (`nil` = no fixed expiry).
    case approveProposal(editedText: String?, envelope: AccessEnvelope, expiresIn: Int?)
    /// Allow this one access request, without changing the mission.
    case allowOnce
    /// Allow it and amend the mission with `grants`, so similar requests pass from now on.
    case allowAndAmend(grants: [AccessGrant])
    /// Deny (either kind), with a reason for the agent and the audit trail.
    case deny(reason: String?)

    /// The review event this decision applies.
    public var event: ReviewEvent {
        if case .deny = self { return .deny }
        return .approve
    }

    /// Whether this decision can settle a review of `kind`.
    public func fits(_ kind: ReviewKind) -> Bool {
        switch (self, kind) {
        case (.deny, _), (.approveProposal, .proposal), (.allowOnce, .accessRequest), (.allowAndAmend, .accessRequest):
            true
        default:
            false
        }
    }
}
