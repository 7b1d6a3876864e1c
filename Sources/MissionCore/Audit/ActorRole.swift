/// Who caused an audit event, by kind.
public enum ActorRole: String, CaseIterable, Codable, Sendable {
    /// A signed agent request.
    case agent
    /// An admin API key of the given role.
    case admin, reviewer, auditor, events
    /// The MA itself: auto-approval rules, expiry observed on a decision path, startup.
    case system
}
