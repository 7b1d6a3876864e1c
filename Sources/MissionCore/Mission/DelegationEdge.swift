import Foundation

/// One recorded authorization under a mission: an agent got a token for a resource, possibly
/// on the strength of an upstream token (a call chain).
public struct DelegationEdge: Hashable, Codable, Sendable {
    public let agent: String
    public let resource: String
    /// The `jti` of the token issued.
    public let jti: String
    /// The `jti` of the upstream token it was obtained with, if any.
    public let upstreamJTI: String?
    public let at: Date

    public init(agent: String, resource: String, jti: String, upstreamJTI: String? = nil, at: Date) {
        self.agent = agent
        self.resource = resource
        self.jti = jti
        self.upstreamJTI = upstreamJTI
        self.at = at
    }
}
