import Foundation

/// An operator's standing approval: proposals from matching agents that ask for no more than
/// `maxEnvelope` and live no longer than `maxLifetime` are approved without a human. The
/// `review` entries go into every mission the rule approves as its review envelope: access there
/// is possible, but only after a reviewer says yes to each request (DESIGN §3.3).
public struct AutoApprovalRule: Hashable, Codable, Sendable {
    public let agentPattern: AgentPattern
    /// The most this rule can hand out; a proposal gets only what it asked for, within this.
    public let maxEnvelope: [AccessGrant]
    /// The review envelope of every mission this rule approves, whole (it grants nothing by itself).
    public let review: [AccessGrant]
    /// The longest mission lifetime this rule grants, in seconds.
    public let maxLifetime: Int
    /// Token lifetime for missions this rule approves (1…3600 s).
    public let maxTokenLifetime: Int

    /// Validates the limits.
    public init(
        agentPattern: AgentPattern, maxEnvelope: [AccessGrant], review: [AccessGrant] = [], maxLifetime: Int,
        maxTokenLifetime: Int = AccessEnvelope.defaultTokenLifetime
    ) throws(MissionError) {
        guard maxLifetime >= 1 else { throw .invalidConfiguration("maxLifetime must be positive") }
        guard (1...AccessEnvelope.maximumTokenLifetime).contains(maxTokenLifetime) else {
            throw .invalidConfiguration("maxTokenLifetime must be 1…\(AccessEnvelope.maximumTokenLifetime)")
        }
        // Every approval carries the whole review list, so it must fit in an envelope with room for grants.
        guard review.count < AccessEnvelope.maximumEntries else {
            throw .invalidConfiguration("review: at most \(AccessEnvelope.maximumEntries - 1) entries")
        }
        self.agentPattern = agentPattern
        self.maxEnvelope = maxEnvelope
        self.review = review
        self.maxLifetime = maxLifetime
        self.maxTokenLifetime = maxTokenLifetime
    }

    private enum CodingKeys: String, CodingKey {
        case agentPattern, maxEnvelope, review, maxLifetime, maxTokenLifetime
    }

    /// Decodes through the validating initializer; `review` may be absent (rules encoded before it existed).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                agentPattern: try container.decode(AgentPattern.self, forKey: .agentPattern),
                maxEnvelope: try container.decode([AccessGrant].self, forKey: .maxEnvelope),
                review: try container.decodeIfPresent([AccessGrant].self, forKey: .review) ?? [],
                maxLifetime: try container.decode(Int.self, forKey: .maxLifetime),
                maxTokenLifetime: try container.decodeIfPresent(Int.self, forKey: .maxTokenLifetime)
                    ?? AccessEnvelope.defaultTokenLifetime)
        } catch let error as MissionError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }
}
