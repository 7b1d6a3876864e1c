/// The answer to a token request that was not refused (refusals are `AuthorityError`s:
/// `.denied`, `.suspended`, `.terminated`, `.notFound`).
public enum AccessOutcome: Equatable, Sendable {
    /// The auth token, already recorded durably with its audit row.
    case granted(IssuedToken)
    /// Some scopes need a reviewer (202, `requirement=approval`); poll the review.
    case deferred(Review, retryAfter: Int)
}
