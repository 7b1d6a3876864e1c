/// The role an admin API key carries (DESIGN §4): least privilege per key.
public enum AdminRole: String, CaseIterable, Codable, Sendable {
    /// Everything.
    case admin
    /// Reads, decides reviews and asks clarification questions.
    case reviewer
    /// Reads only.
    case auditor
    /// Only posts business events (an external system's key).
    case events

    /// The permissions of this role.
    public var permissions: Set<AdminPermission> {
        switch self {
        case .admin: Set(AdminPermission.allCases)
        case .reviewer: [.read, .decideReviews]
        case .auditor: [.read]
        case .events: [.postBusinessEvents]
        }
    }

    /// Whether a key of this role may do `permission`.
    public func allows(_ permission: AdminPermission) -> Bool {
        permissions.contains(permission)
    }

    /// The audit actor role for actions taken with a key of this role.
    public var actorRole: ActorRole {
        switch self {
        case .admin: .admin
        case .reviewer: .reviewer
        case .auditor: .auditor
        case .events: .events
        }
    }
}
