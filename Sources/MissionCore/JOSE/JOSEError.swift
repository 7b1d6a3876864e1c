/// Errors from JSON, JWK, JWS and JWT handling.
///
/// The HTTP layer maps these to AAuth `Signature-Error` codes (wire notes §1.5, §1.6):
/// `expired` → `expired_jwt`; `unsupportedKeyType`, `unsupportedAlgorithm` → `unsupported_algorithm`;
/// `invalidKey` → `invalid_key`; everything else about a token → `invalid_jwt`
/// (`issuedInFuture` may map to `clock_skew`).
public enum JOSEError: Error, Equatable, Sendable {
    /// Not well-formed: bad JSON, bad base64url, wrong member types, wrong segment count.
    case malformed(String)
    /// The input is larger than the configured cap (in bytes).
    case tooLarge(limit: Int)
    /// A JWK `kty` (or `kty`/`crv` pair) this implementation does not support, including `oct`.
    case unsupportedKeyType(String)
    /// An algorithm we refuse or do not implement (`none`, `HS256`, `RS256`, `ES384`, …).
    case unsupportedAlgorithm(String)
    /// A key that is well-formed JSON but unusable: wrong length, point off the curve, private
    /// members in a public key, or `kty`/`crv` disagreeing with `alg`.
    case invalidKey(String)
    /// A JWK without `alg` where the caller requires one (AAuth conveyed keys, wire notes §1.1).
    case missingAlgorithm
    /// A JWS header with `crit` (RFC 7515 §4.1.11): we understand no extensions, so we refuse all.
    case unsupportedCriticalHeader
    /// The JWS header's `alg` does not match the verification key.
    case algorithmMismatch(header: String, key: String)
    /// The signature does not verify.
    case badSignature
    /// The JWT header `typ` differs from the expected value.
    case wrongType(expected: String, actual: String?)
    /// The `iss` claim is missing or differs from the expected issuer.
    case wrongIssuer
    /// The `aud` claim is missing or does not contain the expected audience.
    case wrongAudience
    /// `exp` is at or before the current time (RFC 7519 §4.1.4).
    case expired
    /// `nbf` is after the current time (RFC 7519 §4.1.5).
    case notYetValid
    /// `iat` is further in the future than the allowed clock skew.
    case issuedInFuture
    /// A claim the validator requires is absent.
    case missingClaim(String)
    /// Signing failed inside OpenSSL.
    case crypto(CryptoError)
}
