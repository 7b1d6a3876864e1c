/// What a review is about.
public enum ReviewSubject: Hashable, Codable, Sendable {
    /// A mission proposal awaiting approval (the agent keeps polling for the approved mission).
    case proposal(MissionProposal)
    /// A token request that fell into the mission's `review` entries.
    case accessRequest(missionS256: String, request: AccessRequest, outside: [String])

    /// The kind, for listing and filtering.
    public var kind: ReviewKind {
        switch self {
        case .proposal: .proposal
        case .accessRequest: .accessRequest
        }
    }
}
