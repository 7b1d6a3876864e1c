/// The review state machine as a table: from `pending`, `approve → approved`, `deny → denied`,
/// `cancel → cancelled`, `expire → expired`; terminal states accept nothing.
public enum ReviewLifecycle {
    /// The allowed transitions; anything absent is refused.
    public static let table: [ReviewState: [ReviewEvent: ReviewState]] = [
        .pending: [.approve: .approved, .deny: .denied, .cancel: .cancelled, .expire: .expired],
        .approved: [:],
        .denied: [:],
        .cancelled: [:],
        .expired: [:],
    ]

    /// The state after `event`, or `invalidReviewTransition(from:event:)`.
    public static func next(from state: ReviewState, on event: ReviewEvent) throws(MissionError) -> ReviewState {
        guard let next = table[state]?[event] else { throw .invalidReviewTransition(from: state, event: event) }
        return next
    }
}
