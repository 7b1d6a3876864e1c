/// What an admin API key may do; `AdminRole.allows(_:)` maps roles to these.
public enum AdminPermission: String, CaseIterable, Codable, Sendable {
    /// List and inspect missions, reviews, audit trails, delegation trees; verify the chain.
    case read
    /// Approve, deny and clarify reviews.
    case decideReviews
    /// Suspend, resume, revoke, complete missions.
    case manageMissions
    /// Post business events to a mission.
    case postBusinessEvents
    /// Register and remove agent keys and providers.
    case manageAgents
    /// Create and revoke admin keys, rotate signing keys.
    case manageKeys
}
