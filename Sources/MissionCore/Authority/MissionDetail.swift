/// An admin's view of one mission: the mission (approved bytes, state, envelope, amendments,
/// updates) and its most recent audit events, newest first.
public struct MissionDetail: Equatable, Sendable {
    public let mission: Mission
    public let recentEvents: [AuditEvent]
}
