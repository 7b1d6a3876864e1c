/// Where a pending proposal or access request stands.
public enum ReviewState: String, CaseIterable, Codable, Sendable {
    case pending, approved, denied, cancelled, expired

    /// Every state but `pending` is final.
    public var isTerminal: Bool { self != .pending }
}
