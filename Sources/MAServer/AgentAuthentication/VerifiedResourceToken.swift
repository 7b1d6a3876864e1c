/// What a verified resource token grants the agent to ask for (wire notes §2.4).
public struct VerifiedResourceToken: Equatable, Sendable {
    /// The resource's origin as configured (what missions name), found from the token's `iss`.
    public let resourceOrigin: String
    /// `iss`.
    public let issuer: String
    /// `scope`, split on spaces; empty when absent ([N] makes it optional).
    public let scopes: [String]
    /// `mission_s256`, when the token is bound to a mission.
    public let missionS256: String?
    /// `jti`.
    public let tokenID: String
    /// `exp`, Unix seconds.
    public let expiresAt: Int64
}
