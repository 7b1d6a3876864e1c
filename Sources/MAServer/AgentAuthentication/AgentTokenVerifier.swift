import Foundation
import MissionCore

/// Verifies the agent token of a `jwt`-scheme signature (wire notes §2.2) and caches verified tokens by SHA-256 of
/// their text until `exp`, so a `jwt` agent's later requests cost a hash and a lookup, as an `hwk` agent's do.
final class AgentTokenVerifier: Sendable {
    /// A verified agent token.
    struct Verified: Sendable {
        let subject: String
        let claims: AuthenticatedAgent.AgentToken
        let key: JWK
        let thumbprint: String
    }

    /// The `dwk` an agent token must name when it names one.
    static let metadataDocument = "aauth-agent.json"

    private let providers: IssuerKeyRegistry
    private let timeSource: any TimeSource
    private let window: Int64
    private let cache: BoundedCache<Digest256, Verified>

    init(providers: IssuerKeyRegistry, timeSource: any TimeSource, window: Int64, cacheCapacity: Int) {
        self.providers = providers
        self.timeSource = timeSource
        self.window = window
        cache = BoundedCache(capacity: cacheCapacity)
    }

    /// The token's subject and `cnf.jwk`, or why it is refused.
    func verify(_ token: String) async -> Result<Verified, SignatureFailure> {
        let cacheKey = Digest256(hashing: token.utf8)
        if let cached = cache.value(for: cacheKey) {
            // RFC 7519 §4.1.4 with no leeway ([N]): expiry is checked on every use, cached or not.
            guard timeSource.now().timeIntervalSince1970 < Double(cached.claims.expiresAt) else {
                cache.remove(cacheKey)
                return .failure(SignatureFailure(.expiredJWT, "the agent token has expired"))
            }
            return .success(cached)
        }
        let result = await verifyUncached(token)
        if case .success(let verified) = result { cache.insert(verified, for: cacheKey) }
        return result
    }

    private func verifyUncached(_ token: String) async -> Result<Verified, SignatureFailure> {
        func invalid(_ detail: String) -> Result<Verified, SignatureFailure> {
            .failure(SignatureFailure(.invalidJWT, detail))
        }
        let unverified: JWT.Unverified
        do {
            // The EdDSA alias is accepted in the header as in keys (Docs/Protocol.md); none/HS* never are.
            unverified = try JWT.decodeUnverified(token, options: JWS.Options(acceptsLegacyEdDSA: true))
        } catch .unsupportedAlgorithm(let name) {
            return invalid("the agent token's alg \(name) is not accepted")
        } catch {
            return invalid("the agent token is not a well-formed JWT")
        }
        // Wire notes §2.8: typ first, so an auth, person or resource token is refused as such.
        guard unverified.header.type == Self.agentTokenType else {
            return invalid("the token's typ is \(unverified.header.type ?? "absent"), not \(Self.agentTokenType)")
        }
        let claims = unverified.unverifiedClaims
        guard let issuer = try? claims.issuer, providers.knows(issuer: issuer) else {
            return invalid("the agent token's iss is not a configured agent provider")
        }
        guard let keyID = unverified.header.keyID else { return invalid("the agent token's header has no kid") }
        let providerKey: JWK
        switch await providers.key(issuer: issuer, keyID: keyID) {
        case .success(let key): providerKey = key
        case .failure(let error): return .failure(Self.lookupFailure(error))
        }
        let validator = JWTValidator(
            timeSource: timeSource, expectedType: Self.agentTokenType, requiresExpiration: true,
            maxIssuedAtSkew: TimeInterval(window))
        do {
            _ = try unverified.verify(with: providerKey, validator: validator)
        } catch .expired {
            return .failure(SignatureFailure(.expiredJWT, "the agent token has expired"))
        } catch .issuedInFuture {
            return .failure(SignatureFailure(.clockSkew, "the agent token's iat is ahead of the server clock"))
        } catch .badSignature, .algorithmMismatch {
            return invalid("the agent token's signature does not verify with the provider's key")
        } catch {
            return invalid("the agent token's claims are invalid")
        }
        return Self.readClaims(claims, issuer: issuer)
    }

    static let agentTokenType = AgentAuthenticator.agentTokenType

    /// The claim checks after the signature (wire notes §2.2): `sub`, `jti`, `exp`, `dwk`, `ps`, no `parent_agent`,
    /// and a valid `cnf.jwk`.
    private static func readClaims(_ claims: JWTClaims, issuer: String) -> Result<Verified, SignatureFailure> {
        func invalid(_ detail: String) -> Result<Verified, SignatureFailure> {
            .failure(SignatureFailure(.invalidJWT, detail))
        }
        guard let subject = try? claims.subject, !subject.isEmpty else { return invalid("the agent token has no sub") }
        guard let tokenID = try? claims.jwtID, !tokenID.isEmpty else { return invalid("the agent token has no jti") }
        guard let expiration = try? claims.expiration else { return invalid("the agent token has no exp") }
        if let dwk = claims["dwk"], dwk.stringValue != metadataDocument {
            return invalid("the agent token's dwk is not \(metadataDocument)")
        }
        // [M] §Single-Level Depth: a PS/MA MUST reject requests signed by a sub-agent.
        if claims["parent_agent"] != nil { return invalid("sub-agent tokens (parent_agent) are refused") }
        let personServer: String?
        switch claims["ps"] {
        case nil: personServer = nil
        case .string(let value)?: personServer = value
        default: return invalid("the agent token's ps is not a string")
        }
        let key: JWK
        do {
            guard let confirmation = try claims.confirmationKey(options: IssuerKeyRegistry.keyParsingOptions) else {
                return invalid("the agent token has no cnf.jwk")
            }
            key = confirmation
        } catch .malformed(let reason) where reason.hasPrefix("claim cnf") {
            return invalid("the agent token's cnf is not an object")
        } catch {
            return .failure(AgentAuthenticator.keyFailure(error, what: "cnf.jwk"))
        }
        let expiresAt = Int64(expiration.timeIntervalSince1970.rounded(.down))
        return .success(
            Verified(
                subject: subject,
                claims: AuthenticatedAgent.AgentToken(
                    issuer: issuer, tokenID: tokenID, expiresAt: expiresAt, personServer: personServer),
                key: key, thumbprint: key.thumbprint()))
    }

    /// Key lookup failures as codes: `unknown_key` for a `kid` not found (and for keys we cannot currently fetch,
    /// since the agent can do nothing but retry), `issuer_missing` / `issuer_mismatch` from discovery.
    static func lookupFailure(_ error: IssuerKeyRegistry.LookupError) -> SignatureFailure {
        switch error {
        case .unknownIssuer: SignatureFailure(.invalidJWT, "the agent token's iss is not a configured agent provider")
        case .unknownKey: SignatureFailure(.unknownKey, "the agent provider has no key with the token's kid")
        case .issuerMissing: SignatureFailure(.issuerMissing, "the agent provider's metadata has no issuer")
        case .issuerMismatch: SignatureFailure(.issuerMismatch, "the agent provider's metadata names another issuer")
        case .invalidDocument(let reason):
            SignatureFailure(.unknownKey, "the agent provider's keys are unusable: \(reason)")
        case .unavailable: SignatureFailure(.unknownKey, "the agent provider's keys are unavailable; retry later")
        }
    }
}
