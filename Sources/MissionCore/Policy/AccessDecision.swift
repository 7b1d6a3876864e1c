/// The outcome of evaluating an `AccessRequest` against a mission.
public enum AccessDecision: Hashable, Sendable {
    /// Every scope is inside the grants; issue a token for `scopes` living `tokenLifetime` seconds.
    case granted(scopes: [String], tokenLifetime: Int)
    /// Some scopes are outside the grants but all of those are inside `review`: defer to a human.
    case needsReview(outside: [String])
    /// At least one scope is outside both grants and review (or the request cannot be served).
    case denied(reason: DenialReason, outside: [String])
    /// The mission is suspended: nothing is issued until it is resumed.
    case missionSuspended
    /// The mission is terminal: `state` is `completed`, `revoked` or `expired` (the wire's
    /// `termination_reason`).
    case missionTerminated(state: MissionState)
    /// The mission is still `proposed`: nothing may be issued before approval.
    case missionNotApproved

    /// Why a request was denied.
    public enum DenialReason: String, Hashable, Sendable {
        /// DESIGN §3.3: detail "outside mission scope".
        case outsideMissionScope = "outside mission scope"
        /// Less than one second remains before the mission expires: no token can be useful.
        case missionExpiresTooSoon = "mission expires too soon"
    }
}
