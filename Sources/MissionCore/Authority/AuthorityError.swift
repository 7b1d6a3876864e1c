/// Everything `MissionAuthority` can refuse, independent of HTTP. MAServer maps each case to a
/// status in exactly one file; the comments give the intended mapping.
public enum AuthorityError: Error, Equatable, Sendable {
    /// No such mission or review, or it belongs to another agent (404). The two are deliberately
    /// indistinguishable so an agent cannot probe for other agents' identifiers.
    case notFound
    /// The mission is suspended: nothing is issued until it is resumed (403 `mission_suspended`).
    case suspended
    /// The mission is terminal; `reason` is `completed`, `revoked` or `expired` (403 `mission_terminated`).
    case terminated(reason: String)
    /// A lifecycle or review action not allowed from `current`, the state's raw value (409).
    case invalidTransition(current: String)
    /// The request asks for scopes outside the mission (403 `denied`); `outside` lists them.
    case denied(reason: String, outside: [String])
    /// The caller's role may not do this, or the agent may not (403).
    case forbidden
    /// Malformed or out-of-range input; `detail` names the member (400).
    case invalidRequest(String)
    /// The operation conflicts with the current data, e.g. a key already registered (409).
    case conflict(String)
    /// The pending URL was answered already or cancelled (410).
    case gone
    /// Polled faster than advertised; try again after `retryAfter` seconds (429 `slow_down`).
    case slowDown(retryAfter: Int)
    /// The review expired before anyone decided (408 `expired`).
    case expired
    /// The decision could not be recorded durably with its audit row, so it was not made (503).
    case auditUnavailable
    /// Stored data failed an integrity check or could not be decoded (500, details logged).
    case corruptRecord(String)
}

extension AuthorityError {
    /// The facade's reading of a domain refusal.
    init(_ error: MissionError) {
        switch error {
        case .invalidTransition(let from, _): self = .invalidTransition(current: from.rawValue)
        case .missionNotLive(let state): self = .invalidTransition(current: state.rawValue)
        case .invalidReviewTransition(let from, _):
            switch from {
            case .expired: self = .expired
            default: self = .invalidTransition(current: from.rawValue)
            }
        case .invalidProposal(let detail), .invalidOrigin(let detail), .invalidScope(let detail),
            .invalidEnvelope(let detail), .invalidAccessRequest(let detail), .decisionMismatch(let detail),
            .invalidConfiguration(let detail):
            self = .invalidRequest(detail)
        case .clarificationNotAllowed(let detail): self = .conflict(detail)
        }
    }
}
