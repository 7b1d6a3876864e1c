import Foundation

/// Everything an approval fixes, before it is written out as approved bytes.
public struct MissionApproval: Hashable, Sendable {
    /// The longest mission lifetime accepted: ten years (a guard, not a policy).
    public static let maximumLifetime: TimeInterval = 10 * 365 * 86_400

    /// The owning agent's identifier.
    public let agent: String
    /// The MA's issuer URL, written as `approver` in blobs ([M]; [N] dropped it, we keep it when
    /// given because a blob that names its approver is self-describing in audit exports).
    public let approver: String?
    /// Truncated to whole seconds: the text says seconds, the stored value must agree.
    public let approvedAt: Date
    public let expiresAt: Date?
    /// The approved Markdown: the proposal text or the reviewer's edit of it.
    public let text: String
    public let tools: [ProposedTool]
    public let resources: [ProposedResource]
    /// The access envelope; its `expiresAt` is replaced by `expiresAt`.
    public let envelope: AccessEnvelope

    /// Validates the text and the agent; times are truncated to whole seconds.
    public init(
        agent: String, approver: String? = nil, approvedAt: Date, expiresAt: Date? = nil, text: String,
        tools: [ProposedTool] = [], resources: [ProposedResource] = [],
        envelope: AccessEnvelope = .empty
    ) throws(MissionError) {
        guard !agent.isEmpty, agent.utf8.count <= 512 else { throw .invalidProposal("agent: 1…512 bytes") }
        try MissionProposal.validateText(text)
        let approvedAt = RFC3339.truncatedToSeconds(approvedAt)
        let expiresAt = expiresAt.map(RFC3339.truncatedToSeconds)
        if let expiresAt, expiresAt <= approvedAt { throw .invalidEnvelope("expiry must be after approval") }
        if let expiresAt, expiresAt.timeIntervalSince(approvedAt) > MissionApproval.maximumLifetime {
            throw .invalidEnvelope("a mission lives at most \(Int(MissionApproval.maximumLifetime)) seconds")
        }
        self.agent = agent
        self.approver = approver
        self.approvedAt = approvedAt
        self.expiresAt = expiresAt
        self.text = text
        self.tools = tools
        self.resources = resources
        self.envelope = envelope.expiring(at: expiresAt)
    }

    /// The proposal approved as it stands (no edit), in the proposal's own form.
    public init(
        proposal: MissionProposal, agent: String, approver: String? = nil, approvedAt: Date,
        expiresAt: Date?, envelope: AccessEnvelope, editedText: String? = nil
    ) throws(MissionError) {
        try self.init(
            agent: agent, approver: approver, approvedAt: approvedAt, expiresAt: expiresAt,
            text: editedText ?? proposal.text, tools: proposal.tools, resources: proposal.resources,
            envelope: envelope)
    }
}
