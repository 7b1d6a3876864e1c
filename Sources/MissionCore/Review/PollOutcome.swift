/// What a poll of a pending URL gets, decided by `Review.poll(at:minimumInterval:)`.
public enum PollOutcome: Hashable, Sendable {
    /// Still pending: 202 (with the open clarification question, if any).
    case pending(openQuestion: String?)
    /// Polled again before the advertised interval: 429 `slow_down`.
    case slowDown
    /// The terminal answer, delivered now (200, 403 `denied`, 408 `expired`); `cancelled`
    /// appears here only if the agent polls in the same instant it cancels.
    case terminal(ReviewState, ReviewDecision?)
    /// The terminal answer was already delivered, or the review was cancelled: 410.
    case gone
}
