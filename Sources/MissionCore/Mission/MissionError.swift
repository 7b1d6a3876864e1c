/// Everything the pure mission domain can refuse. One error type for the layer; the HTTP layer
/// maps each case to a status in exactly one place.
public enum MissionError: Error, Equatable, Sendable {
    /// A lifecycle event that the transition table does not allow from the current state.
    case invalidTransition(from: MissionState, event: MissionEvent)
    /// An operation that needs a live (`active` or `suspended`) mission met one in this state.
    case missionNotLive(MissionState)
    /// A review event that the review transition table does not allow from the current state.
    case invalidReviewTransition(from: ReviewState, event: ReviewEvent)
    /// A proposal body or one of its members is malformed; the message names the member.
    case invalidProposal(String)
    /// An origin or resource pattern that is not in the strict form we accept.
    case invalidOrigin(String)
    /// A scope token outside RFC 6749 §3.3 `scope-token` syntax, or an empty scope list.
    case invalidScope(String)
    /// An access envelope whose limits are out of range.
    case invalidEnvelope(String)
    /// A token request that is malformed (not a decision: a decision is an `AccessDecision`).
    case invalidAccessRequest(String)
    /// A clarification question or answer that the chat rules do not allow now.
    case clarificationNotAllowed(String)
    /// A review decision whose payload does not fit the review's kind.
    case decisionMismatch(String)
    /// A rule, key or provider definition that is malformed.
    case invalidConfiguration(String)
}
