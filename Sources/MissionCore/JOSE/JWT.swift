/// A JSON Web Token (RFC 7519) in JWS compact form whose signature and claims were checked.
///
/// ```swift
/// let unverified = try JWT.decodeUnverified(token)            // read kid / iss to pick a key
/// let key = try jwks.key(withID: unverified.header.keyID ?? "")
/// let jwt = try unverified.verify(with: key.publicKey, validator: validator)
/// let subject = try jwt.claims.subject
/// ```
public struct JWT: Sendable, Hashable {
    public let header: JWSHeader
    public let claims: JWTClaims

    /// A decoded JWT whose signature and claims have not been checked.
    public struct Unverified: Sendable, Hashable {
        public let jws: JWS.Unverified
        /// The claims, unauthenticated: only for choosing a key.
        public let unverifiedClaims: JWTClaims

        public var header: JWSHeader { jws.header }

        /// Verifies in this order: `typ` (so a token of another kind is refused as such), the
        /// algorithm against the key and the signature, then the claims (`iss`, `aud`, `exp`,
        /// `nbf`, `iat`).
        public func verify(with key: JOSEPublicKey, validator: JWTValidator) throws(JOSEError) -> JWT {
            try validator.validateType(jws.header)
            _ = try jws.verify(with: key)
            try validator.validateClaims(unverifiedClaims)
            return JWT(header: jws.header, claims: unverifiedClaims)
        }

        /// As `verify(with:validator:)`, with a JWK whose `alg`, if present, must match too.
        public func verify(with jwk: JWK, validator: JWTValidator) throws(JOSEError) -> JWT {
            try validator.validateType(jws.header)
            _ = try jws.verify(with: jwk)
            try validator.validateClaims(unverifiedClaims)
            return JWT(header: jws.header, claims: unverifiedClaims)
        }
    }

    /// Decodes a compact JWT without verifying anything but its structure: the JWS rules of
    /// `JWS.decodeUnverified`, a claims set that is a strict JSON object (RFC 7519 §7.2 step 10),
    /// and no nested JWT (`cty: JWT`, §5.2), which we do not support.
    public static func decodeUnverified(_ token: some StringProtocol, options: JWS.Options = .standard)
        throws(JOSEError) -> Unverified
    {
        let jws = try JWS.decodeUnverified(token, options: options)
        if let contentType = jws.header.contentType, contentType.lowercased() == "jwt" {
            throw .malformed("nested JWTs are not supported")
        }
        let claims = try JSONValue.parse(jws.unverifiedPayload, maxDepth: options.maxJSONDepth)
        guard let members = claims.objectValue else { throw .malformed("JWT claims are not a JSON object") }
        return Unverified(jws: jws, unverifiedClaims: JWTClaims(members))
    }

    /// Decodes and verifies in one step.
    public static func verify(
        _ token: some StringProtocol, key: JOSEPublicKey, validator: JWTValidator, options: JWS.Options = .standard
    ) throws(JOSEError) -> JWT {
        try decodeUnverified(token, options: options).verify(with: key, validator: validator)
    }
}
