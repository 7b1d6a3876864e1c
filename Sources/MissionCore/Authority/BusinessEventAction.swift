/// What a business event (`POST /missions/{s256}/events`) does to its mission.
public enum BusinessEventAction: String, CaseIterable, Sendable {
    /// Audit only.
    case note
    /// Suspend the mission.
    case suspend
    /// Revoke it (terminal).
    case revoke
    /// Complete it (terminal).
    case complete

    /// Strict parse of the wire value; anything else is `invalidRequest`.
    public init(parsing text: String) throws(AuthorityError) {
        guard let action = BusinessEventAction(rawValue: text) else {
            throw .invalidRequest("action: one of note, suspend, revoke, complete")
        }
        self = action
    }

    var missionEvent: MissionEvent? {
        switch self {
        case .note: nil
        case .suspend: .suspend
        case .revoke: .revoke
        case .complete: .complete
        }
    }
}
