/// The result of `AuditChain.verify`.
public enum AuditVerification: Hashable, Sendable {
    /// Every link holds; `count` events checked.
    case ok(count: Int)
    /// The first broken link: the sequence number where the chain stops holding, and why.
    case broken(atSequence: Int64, reason: BreakReason)

    /// Why a link is broken.
    public enum BreakReason: String, Hashable, Sendable {
        /// The expected sequence number is absent (an event was deleted).
        case missing = "event missing (sequence gap)"
        /// A lower or repeated sequence number appears (events reordered or duplicated).
        case outOfOrder = "event out of order"
        /// The stored previous hash is not the preceding event's hash (inserted or swapped).
        case previousHashMismatch = "previous hash does not match"
        /// The event's content does not hash to its stored hash (edited).
        case contentMismatch = "content does not match its hash"
        /// The trail ends before the trusted checkpoint (newest events removed).
        case truncated = "trail ends before the checkpoint"
        /// The event at the checkpoint's sequence is not the one the checkpoint names.
        case checkpointMismatch = "event differs from the checkpoint"
    }
}
