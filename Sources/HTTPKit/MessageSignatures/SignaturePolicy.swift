/// The AAuth request-signing profile (wire notes §1.2, §1.3): required components, freshness and schemes.
public struct SignaturePolicy: Equatable, Sendable {
    /// Components every request must cover (exact identifiers, no parameters).
    public var requiredComponents: [ComponentIdentifier]
    /// Components a request with a body must also cover.
    public var requiredBodyComponents: [ComponentIdentifier]
    /// Accepted distance in seconds between `created` and the server clock, both ways (default 60).
    public var window: Int64
    /// `Signature-Key` schemes accepted, in preference order (sent as `Accept-Signature-Scheme`).
    public var acceptedSchemes: [String]

    /// The AAuth defaults: `@method @authority @path signature-key`, plus `content-type content-digest` with a
    /// body; a 60 s window; `jwt`, `hwk` and `jwks_uri` schemes.
    public init(
        requiredComponents: [ComponentIdentifier] = [.method, .authority, .path, .signatureKey],
        requiredBodyComponents: [ComponentIdentifier] = [.contentType, .contentDigest],
        window: Int64 = 60,
        acceptedSchemes: [String] = ["jwt", "hwk", "jwks_uri"]
    ) {
        self.requiredComponents = requiredComponents
        self.requiredBodyComponents = requiredBodyComponents
        self.window = window
        self.acceptedSchemes = acceptedSchemes
    }

    /// Checks coverage, then `created` and `expires` against `now` (Unix seconds). `alg` and `keyid` are not
    /// required; `alg` is ignored (AAuth: verifiers MUST ignore it).
    public func check(_ input: SignatureInput, hasBody: Bool, now: Int64) throws(SignatureError) {
        // The usual request covers everything; the lists for the error are built only when something is missing.
        let covered = input.components
        var coversAll = true
        for component in requiredComponents where !covered.contains(component) { coversAll = false }
        if hasBody { for component in requiredBodyComponents where !covered.contains(component) { coversAll = false } }
        if !coversAll { try reportMissingComponents(input, hasBody: hasBody) }
        guard let created = input.parameters.created else { throw .missingCreated }
        // Wire notes §1.3, newer draft: stale is invalid_signature, ahead of our clock is clock_skew.
        if created < now, now - created > window { throw .createdTooOld(created: created, now: now) }
        if created > now, created - now > window { throw .createdInFuture(created: created, now: now) }
        if let expires = input.parameters.expires, expires < now { throw .expired(expires: expires, now: now) }
    }

    /// Throws `missingRequiredComponents` with every required component and the ones `input` does not cover.
    private func reportMissingComponents(_ input: SignatureInput, hasBody: Bool) throws(SignatureError) {
        let required = requiredComponents + (hasBody ? requiredBodyComponents : [])
        let missing = required.filter { !input.covers($0) }
        if !missing.isEmpty {
            throw .missingRequiredComponents(required: required.map(\.name), missing: missing.map(\.name))
        }
    }

    /// Checks that the selected key's scheme is accepted.
    public func check(_ key: SignatureKey) throws(SignatureError) {
        guard acceptedSchemes.contains(key.schemeName), key.scheme != .other(key.schemeName) else {
            throw .unsupportedScheme(key.schemeName, accepted: acceptedSchemes)
        }
    }
}
