/// What can happen to a mission; the input side of `MissionLifecycle`'s transition table.
public enum MissionEvent: String, CaseIterable, Codable, Sendable {
    case approve, suspend, resume, revoke, complete, expire
}
