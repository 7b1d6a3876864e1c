/// The JWS algorithms this implementation signs and verifies: exactly the ones AAuth requires
/// (wire notes §1.1). Everything else is refused by name.
public enum JWSAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// Ed25519 (RFC 9864 fully specified name; RFC 8037 called it `EdDSA`).
    case ed25519 = "Ed25519"
    /// ECDSA with P-256 and SHA-256 (RFC 7518 §3.4).
    case es256 = "ES256"

    /// The legacy polymorphic name RFC 8037 §3.1 used for Ed25519 (and Ed448).
    public static let legacyEdDSAName = "EdDSA"

    /// Reads an `alg` value. `EdDSA` is read as Ed25519 only when `acceptsLegacyEdDSA` (the key's
    /// `kty`/`crv` then pins it to Ed25519). `none` (RFC 7518 §3.6), `HS*` (shared secrets), `RS*`,
    /// `PS*`, other curves and unknown names are `unsupportedAlgorithm`. Names are case-sensitive
    /// (RFC 7515 §4.1.1).
    public init(parsing name: String, acceptsLegacyEdDSA: Bool) throws(JOSEError) {
        if let algorithm = JWSAlgorithm(rawValue: name) {
            self = algorithm
        } else if name == Self.legacyEdDSAName && acceptsLegacyEdDSA {
            self = .ed25519
        } else {
            throw .unsupportedAlgorithm(name)
        }
    }

    /// The JWK `kty` a key for this algorithm must have.
    public var keyType: JWK.KeyType {
        switch self {
        case .ed25519: return .okp
        case .es256: return .ec
        }
    }

    /// The JWK `crv` a key for this algorithm must have.
    public var curve: JWK.Curve {
        switch self {
        case .ed25519: return .ed25519
        case .es256: return .p256
        }
    }
}
