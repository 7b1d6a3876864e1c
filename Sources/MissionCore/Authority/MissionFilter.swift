import Foundation

/// Which missions an admin listing returns; every member narrows it.
public struct MissionFilter: Hashable, Sendable {
    /// Recorded state (missions past expiry but not yet swept still show their recorded state).
    public var state: MissionState?
    public var agent: String?
    /// Created at or after.
    public var createdFrom: Date?
    /// Created strictly before.
    public var createdUntil: Date?

    public init(state: MissionState? = nil, agent: String? = nil, createdFrom: Date? = nil, createdUntil: Date? = nil) {
        self.state = state
        self.agent = agent
        self.createdFrom = createdFrom
        self.createdUntil = createdUntil
    }
}
