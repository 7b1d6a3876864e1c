/// The `Signature-Error` codes of the HTTP Signature Keys registry, plus `clock_skew` and `revoked_jwt` from the newer
/// AAuth draft (wire notes §1.6).
public enum SignatureErrorCode: String, CaseIterable, Sendable {
    case unsupportedAlgorithm = "unsupported_algorithm"
    case unsupportedScheme = "unsupported_scheme"
    case cacheMiss = "cache_miss"
    case invalidSignature = "invalid_signature"
    case invalidInput = "invalid_input"
    case invalidRequest = "invalid_request"
    case invalidKey = "invalid_key"
    case unknownKey = "unknown_key"
    case issuerMissing = "issuer_missing"
    case issuerMismatch = "issuer_mismatch"
    case invalidJWT = "invalid_jwt"
    case expiredJWT = "expired_jwt"
    case clockSkew = "clock_skew"
    case revokedJWT = "revoked_jwt"
}
