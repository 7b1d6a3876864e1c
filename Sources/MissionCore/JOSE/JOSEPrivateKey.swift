/// A private key for producing JWS signatures.
public enum JOSEPrivateKey: Sendable {
    case ed25519(Ed25519.PrivateKey)
    case p256(P256.Signing.PrivateKey)

    /// The algorithm this key signs with.
    public var algorithm: JWSAlgorithm {
        switch self {
        case .ed25519: return .ed25519
        case .p256: return .es256
        }
    }

    /// The matching public key.
    public var publicKey: JOSEPublicKey {
        switch self {
        case .ed25519(let key): return .ed25519(key.publicKey)
        case .p256(let key): return .p256(key.publicKey)
        }
    }

    /// The JWS signature over `signingInput` (64 bytes; ES256 as raw r‖s, RFC 7518 §3.4).
    public func jwsSignature(for signingInput: [UInt8]) throws(CryptoError) -> [UInt8] {
        switch self {
        case .ed25519(let key): return try key.signature(for: signingInput)
        case .p256(let key): return try key.signature(for: signingInput, format: .raw)
        }
    }
}
