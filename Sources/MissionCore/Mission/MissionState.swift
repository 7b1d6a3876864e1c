/// The six mission states of the seed draft (wire notes §6.2), kept by this MA (DESIGN §3.1).
public enum MissionState: String, CaseIterable, Codable, Sendable {
    case proposed, active, suspended, completed, revoked, expired

    /// Terminal states never return to `active` ([A] §Mission Lifecycle prose).
    public var isTerminal: Bool {
        switch self {
        case .completed, .revoked, .expired: true
        case .proposed, .active, .suspended: false
        }
    }
}
