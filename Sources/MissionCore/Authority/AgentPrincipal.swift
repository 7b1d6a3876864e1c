/// An authenticated agent: its identifier and the key it signs requests with (the token's
/// `cnf.jwk`, RFC 7800 §3.2).
public struct AgentPrincipal: Hashable, Sendable {
    /// The agent token's `sub`, or `urn:jkt:sha-256:<thumbprint>` for a bare registered key.
    public let id: String
    /// The agent's public signing key.
    public let publicKey: JWK

    public init(id: String, publicKey: JWK) {
        self.id = id
        self.publicKey = publicKey
    }

    /// Whether the identity is a bare key thumbprint rather than a provider-issued id.
    public var isPseudonymous: Bool { id.hasPrefix(JWK.thumbprintURIPrefix) }
}
