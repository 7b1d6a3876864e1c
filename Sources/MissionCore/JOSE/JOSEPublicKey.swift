/// A public key usable for JWS verification; the algorithm follows from the key type, as each
/// supported key type has exactly one algorithm here. Build it once per key and reuse it: it holds
/// the parsed OpenSSL key.
public enum JOSEPublicKey: Sendable, Equatable {
    case ed25519(Ed25519.PublicKey)
    case p256(P256.Signing.PublicKey)

    /// The only algorithm this key verifies.
    public var algorithm: JWSAlgorithm {
        switch self {
        case .ed25519: return .ed25519
        case .p256: return .es256
        }
    }

    /// `true` when `signature` is a valid JWS signature over `signingInput`: 64 bytes for both
    /// algorithms; for ES256 only the raw r‖s form (RFC 7518 §3.4), never DER.
    public func isValidJWSSignature(_ signature: [UInt8], for signingInput: [UInt8]) -> Bool {
        switch self {
        case .ed25519(let key): return key.isValidSignature(signature, for: signingInput)
        case .p256(let key): return key.isValidSignature(signature, for: signingInput, format: .raw)
        }
    }

    /// The public JWK for this key, `alg` always set.
    public func jwk(keyID: String? = nil, use: String? = "sig") -> JWK {
        switch self {
        case .ed25519(let key): return JWK(publicKey: key, keyID: keyID, use: use)
        case .p256(let key): return JWK(publicKey: key, keyID: keyID, use: use)
        }
    }
}
