/// The mission state machine as one table (DESIGN §3.1):
///
/// | from \ event | approve | suspend | resume | revoke | complete | expire |
/// |---|---|---|---|---|---|---|
/// | proposed | active | – | – | – | – | – |
/// | active | – | suspended | – | revoked | completed | expired |
/// | suspended | – | – | active | revoked | completed | expired |
/// | completed, revoked, expired | – | – | – | – | – | – |
///
/// Every pair not in the table is refused with `MissionError.invalidTransition`, naming the state
/// the mission is in. Terminal rows are empty, so a terminal state never returns.
public enum MissionLifecycle {
    /// The allowed transitions; anything absent is refused.
    public static let table: [MissionState: [MissionEvent: MissionState]] = [
        .proposed: [.approve: .active],
        .active: [.suspend: .suspended, .revoke: .revoked, .complete: .completed, .expire: .expired],
        .suspended: [.resume: .active, .revoke: .revoked, .complete: .completed, .expire: .expired],
        .completed: [:],
        .revoked: [:],
        .expired: [:],
    ]

    /// The state after `event`, or `invalidTransition(from: state, event: event)`.
    public static func next(from state: MissionState, on event: MissionEvent) throws(MissionError) -> MissionState {
        guard let next = table[state]?[event] else {
            throw .invalidTransition(from: state, event: event)
        }
        return next
    }
}
