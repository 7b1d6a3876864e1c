import Foundation

/// A bare agent key (`Signature-Key: sig=hwk`) that an admin registered (DESIGN §3.4).
/// The thumbprint is computed by the JOSE layer (RFC 7638) and stored here as given.
public struct RegisteredAgentKey: Hashable, Codable, Sendable {
    /// The public JWK as JSON text, as registered.
    public let jwk: String
    /// RFC 7638 SHA-256 thumbprint, base64url.
    public let thumbprint: String
    public let name: String
    public var isEnabled: Bool
    public let registeredAt: Date

    /// Validates the thumbprint shape (43 base64url characters = 32 bytes) and the name.
    public init(
        jwk: String, thumbprint: String, name: String, isEnabled: Bool = true,
        registeredAt: Date
    ) throws(MissionError) {
        guard let digest = Base64URL.decode(thumbprint), digest.count == 32, thumbprint.utf8.count == 43 else {
            throw .invalidConfiguration("thumbprint must be a base64url SHA-256 digest")
        }
        guard !jwk.isEmpty, jwk.utf8.count <= 8192 else { throw .invalidConfiguration("jwk: 1…8192 bytes") }
        guard !name.isEmpty, name.utf8.count <= 200 else { throw .invalidConfiguration("name: 1…200 bytes") }
        self.jwk = jwk
        self.thumbprint = thumbprint
        self.name = name
        self.isEnabled = isEnabled
        self.registeredAt = registeredAt
    }

    /// The agent identity for this key: `urn:jkt:sha-256:<thumbprint>` (DESIGN §3.4).
    public var agentID: String { "urn:jkt:sha-256:" + thumbprint }
}
