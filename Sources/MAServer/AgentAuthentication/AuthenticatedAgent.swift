import MissionCore

/// The agent a verified request came from (what `AgentAuthenticator` returns on success).
public struct AuthenticatedAgent: Equatable, Sendable {
    /// How the signing key was conveyed.
    public enum Scheme: String, Equatable, Sendable {
        /// `Signature-Key: sig=jwt` with an agent token (`aa-agent+jwt`).
        case jwt
        /// `Signature-Key: sig=hwk`: a bare, registered (or pseudonymous) key.
        case hwk
    }

    /// The claims of the agent token that identified a `jwt`-scheme agent.
    public struct AgentToken: Equatable, Sendable {
        /// `iss`: the agent provider.
        public let issuer: String
        /// `jti`.
        public let tokenID: String
        /// `exp`, Unix seconds.
        public let expiresAt: Int64
        /// `ps`, when present (the agent's person server).
        public let personServer: String?
    }

    /// The agent identifier: the token's `sub` (`aauth:local@domain`) for `jwt`, `urn:jkt:sha-256:<thumbprint>` for
    /// `hwk`.
    public let agentID: String
    /// How the key was conveyed.
    public let scheme: Scheme
    /// The verified public key that signed the request.
    public let publicKey: JWK
    /// The key's RFC 7638 SHA-256 thumbprint (base64url), e.g. to compare with a resource token's `agent_jkt`.
    public let thumbprint: String
    /// The agent token's claims for `jwt`; `nil` for `hwk`.
    public let agentToken: AgentToken?
    /// The signature's `created` time (Unix seconds).
    public let signatureCreated: Int64
}
