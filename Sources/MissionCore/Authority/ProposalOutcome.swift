/// The answer to a mission proposal.
public enum ProposalOutcome: Equatable, Sendable {
    /// An auto-approval rule approved it at once (200 with the mission).
    case approved(Mission)
    /// A reviewer must decide (202; poll `/pending/{review.id}` every `retryAfter` seconds).
    case pending(Review, retryAfter: Int)
}
