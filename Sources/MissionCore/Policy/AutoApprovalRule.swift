import Foundation

/// An operator's standing approval: proposals from matching agents that ask for no more than
/// `maxEnvelope` and live no longer than `maxLifetime` are approved without a human.
public struct AutoApprovalRule: Hashable, Codable, Sendable {
    public let agentPattern: AgentPattern
    /// The most this rule can hand out; a proposal gets only what it asked for, within this.
    public let maxEnvelope: [AccessGrant]
    /// The longest mission lifetime this rule grants, in seconds.
    public let maxLifetime: Int
    /// Token lifetime for missions this rule approves (1…3600 s).
    public let maxTokenLifetime: Int

    /// Validates the limits.
    public init(
        agentPattern: AgentPattern, maxEnvelope: [AccessGrant], maxLifetime: Int,
        maxTokenLifetime: Int = AccessEnvelope.defaultTokenLifetime
    ) throws(MissionError) {
        guard maxLifetime >= 1 else { throw .invalidConfiguration("maxLifetime must be positive") }
        guard (1...AccessEnvelope.maximumTokenLifetime).contains(maxTokenLifetime) else {
            throw .invalidConfiguration("maxTokenLifetime must be 1…\(AccessEnvelope.maximumTokenLifetime)")
        }
        self.agentPattern = agentPattern
        self.maxEnvelope = maxEnvelope
        self.maxLifetime = maxLifetime
        self.maxTokenLifetime = maxTokenLifetime
    }
}
