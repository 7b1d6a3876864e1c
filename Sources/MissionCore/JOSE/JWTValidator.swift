import Foundation

/// Checks a JWT's header type and claims against expectations, with time from an injected
/// `TimeSource`. Checks run in this order, each with its own error: `typ` (exact match), `iss`,
/// `aud`, `exp`, `nbf`, `iat`, then any further required claims.
///
/// ```swift
/// var validator = JWTValidator(timeSource: clock, expectedType: "aa-agent+jwt")
/// validator.issuer = "https://agent.example"
/// ```
public struct JWTValidator: Sendable {
    /// The clock; never the system time directly.
    public var timeSource: any TimeSource
    /// The exact header `typ` required, or `nil` to accept any. Compared byte for byte: AAuth
    /// types (`aa-agent+jwt`) are lowercase by definition, so RFC 7515 §4.1.9's case-insensitive
    /// media-type comparison is not needed and an exact match is stricter.
    public var expectedType: String?
    /// The exact `iss` required, or `nil` to accept any.
    public var issuer: String?
    /// A value `aud` must equal or contain, or `nil` to skip the check.
    public var audience: String?
    /// Refuse a token without `exp` (`missingClaim("exp")`).
    public var requiresExpiration: Bool
    /// Refuse a token without `iat`.
    public var requiresIssuedAt: Bool
    /// Seconds of tolerance for `exp` and `nbf`; zero by default.
    public var leeway: TimeInterval
    /// How far in the future `iat` may lie (clock skew between issuer and us); `nil` disables
    /// the check.
    public var maxIssuedAtSkew: TimeInterval?
    /// Further claims that must be present.
    public var requiredClaims: [String]

    public init(
        timeSource: any TimeSource, expectedType: String? = nil, issuer: String? = nil, audience: String? = nil,
        requiresExpiration: Bool = true, requiresIssuedAt: Bool = false, leeway: TimeInterval = 0,
        maxIssuedAtSkew: TimeInterval? = 60, requiredClaims: [String] = []
    ) {
        self.timeSource = timeSource
        self.expectedType = expectedType
        self.issuer = issuer
        self.audience = audience
        self.requiresExpiration = requiresExpiration
        self.requiresIssuedAt = requiresIssuedAt
        self.leeway = leeway
        self.maxIssuedAtSkew = maxIssuedAtSkew
        self.requiredClaims = requiredClaims
    }

    /// The header check, run before the signature so a token of another kind is refused as such.
    public func validateType(_ header: JWSHeader) throws(JOSEError) {
        guard let expectedType else { return }
        guard header.type == expectedType else { throw .wrongType(expected: expectedType, actual: header.type) }
    }

    /// The claim checks, in the documented order.
    public func validateClaims(_ claims: JWTClaims) throws(JOSEError) {
        if let issuer {
            guard try claims.issuer == issuer else { throw .wrongIssuer }
        }
        if let audience {
            guard let audiences = try claims.audience, audiences.contains(audience) else { throw .wrongAudience }
        }
        let now = timeSource.now().timeIntervalSince1970
        // RFC 7519 §4.1.4: the current time MUST be before `exp`.
        if let expiration = try claims.expiration {
            guard now < expiration.timeIntervalSince1970 + leeway else { throw .expired }
        } else if requiresExpiration {
            throw .missingClaim("exp")
        }
        // RFC 7519 §4.1.5: the current time MUST be at or after `nbf`.
        if let notBefore = try claims.notBefore {
            guard now + leeway >= notBefore.timeIntervalSince1970 else { throw .notYetValid }
        }
        if let issuedAt = try claims.issuedAt {
            if let maxIssuedAtSkew, issuedAt.timeIntervalSince1970 > now + maxIssuedAtSkew { throw .issuedInFuture }
        } else if requiresIssuedAt {
            throw .missingClaim("iat")
        }
        for name in requiredClaims where claims[name] == nil { throw .missingClaim(name) }
    }
}
