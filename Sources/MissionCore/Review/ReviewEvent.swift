/// What can happen to a review; the input side of `ReviewLifecycle`'s table.
public enum ReviewEvent: String, CaseIterable, Codable, Sendable {
    /// A reviewer (or an auto-approval rule) says yes.
    case approve
    /// A reviewer says no.
    case deny
    /// The agent withdraws it (`DELETE /pending/{id}`).
    case cancel
    /// Nobody decided in time.
    case expire
}
