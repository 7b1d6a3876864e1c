/// What a poll of a pending URL gets (wire notes §3.2).
public enum ReviewPollOutcome: Equatable, Sendable {
    /// Still pending (202); `openQuestion` is the clarification the agent owes, if any.
    case pending(retryAfter: Int, openQuestion: String?)
    /// A proposal was approved: the mission (200).
    case approved(Mission)
    /// An access request was allowed: the token, issued and recorded now (200).
    case granted(IssuedToken)
    /// A reviewer said no (403 `denied`), with the reason given.
    case denied(reason: String?)
    /// Nobody decided in time (408 `expired`).
    case expired
    /// The answer was already delivered once, or the request was cancelled (410).
    case gone
    /// Polled sooner than `retryAfter` seconds after the previous poll (429 `slow_down`).
    case slowDown(retryAfter: Int)
}
