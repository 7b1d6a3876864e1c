import Foundation
import MissionCore

/// Verifies resource tokens (`aa-resource+jwt`) presented in token requests against the configured resources' keys
/// (wire notes §2.4, PS verification steps 1–5): `typ`, `iss` a configured resource, signature by `kid`, `exp`
/// (required, no leeway), `iat` not ahead by more than the window, `aud` = this MA's issuer, `agent_jkt` = the
/// signer's thumbprint, `dwk` (if present) `aauth-resource.json`, `mission_s256` (if present) 43 base64url chars.
///
/// ```swift
/// let verified = try await verifier.verify(token, agentThumbprint: agent.thumbprint).get()
/// ```
public final class ResourceTokenVerifier: Sendable {
    /// The header `typ` required.
    public static let tokenType = "aa-resource+jwt"

    private let resources: IssuerKeyRegistry
    private let origins: [String: String]
    private let audience: String
    private let timeSource: any TimeSource
    private let window: TimeInterval

    /// `origins` maps each resource token issuer to the resource origin it stands for; `audience` is this MA's issuer.
    public init(
        resources: IssuerKeyRegistry, origins: [String: String], audience: String, timeSource: any TimeSource,
        window: TimeInterval = 60
    ) {
        self.resources = resources
        self.origins = origins
        self.audience = audience
        self.timeSource = timeSource
        self.window = window
    }

    /// The token's grant, or why it is refused.
    public func verify(_ token: String, agentThumbprint: String) async
        -> Result<VerifiedResourceToken, ResourceTokenError>
    {
        let unverified: JWT.Unverified
        do {
            unverified = try JWT.decodeUnverified(token, options: JWS.Options(acceptsLegacyEdDSA: true))
        } catch .unsupportedAlgorithm(let name) {
            return .failure(.malformed("alg \(name) is not accepted"))
        } catch {
            return .failure(.malformed("not a compact JWT"))
        }
        guard unverified.header.type == Self.tokenType else { return .failure(.wrongType(unverified.header.type)) }
        guard let issuer = try? unverified.unverifiedClaims.issuer, let origin = origins[issuer],
            resources.knows(issuer: issuer)
        else { return .failure(.unknownIssuer) }
        guard let keyID = unverified.header.keyID else { return .failure(.malformed("no kid")) }
        let key: JWK
        switch await resources.key(issuer: issuer, keyID: keyID) {
        case .success(let found): key = found
        case .failure(.unknownKey), .failure(.unknownIssuer): return .failure(.unknownKey)
        case .failure: return .failure(.keysUnavailable)
        }
        let validator = JWTValidator(
            timeSource: timeSource, expectedType: Self.tokenType, audience: audience, requiresExpiration: true,
            maxIssuedAtSkew: window)
        let claims: JWTClaims
        do {
            claims = try unverified.verify(with: key, validator: validator).claims
        } catch .badSignature, .algorithmMismatch {
            return .failure(.badSignature)
        } catch .expired {
            return .failure(.expired)
        } catch .issuedInFuture {
            return .failure(.issuedInFuture)
        } catch .wrongAudience {
            return .failure(.wrongAudience)
        } catch .missingClaim(let name) {
            return .failure(.invalidClaim(name))
        } catch {
            return .failure(.invalidClaim("exp/nbf/iat"))
        }
        return Self.grant(claims, issuer: issuer, origin: origin, agentThumbprint: agentThumbprint)
    }

    private static func grant(_ claims: JWTClaims, issuer: String, origin: String, agentThumbprint: String)
        -> Result<VerifiedResourceToken, ResourceTokenError>
    {
        guard let agentKey = try? claims.string("agent_jkt") else { return .failure(.invalidClaim("agent_jkt")) }
        guard ConstantTime.equals(Array(agentKey.utf8), Array(agentThumbprint.utf8)) else {
            return .failure(.agentKeyMismatch)
        }
        if let dwk = claims["dwk"], dwk.stringValue != "aauth-resource.json" { return .failure(.invalidClaim("dwk")) }
        guard let tokenID = try? claims.jwtID, !tokenID.isEmpty else { return .failure(.invalidClaim("jti")) }
        guard let expiration = try? claims.expiration else { return .failure(.invalidClaim("exp")) }
        let scopes: [String]
        switch claims["scope"] {
        case nil: scopes = []
        case .string(let text)?: scopes = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        default: return .failure(.invalidClaim("scope"))
        }
        var missionS256: String?
        if let value = claims["mission_s256"] {
            // base64url of a SHA-256 digest: 43 characters, no padding.
            guard let text = value.stringValue, text.utf8.count == 43, Base64URL.decode(text)?.count == 32 else {
                return .failure(.invalidClaim("mission_s256"))
            }
            missionS256 = text
        }
        return .success(
            VerifiedResourceToken(
                resourceOrigin: origin, issuer: issuer, scopes: scopes, missionS256: missionS256, tokenID: tokenID,
                expiresAt: Int64(expiration.timeIntervalSince1970.rounded(.down))))
    }
}

extension ResourceTokenVerifier {
    /// The verifier the Application builds from `resources` (keys pinned or discovered) and the effective issuer.
    static func make(
        configuration: Configuration, fetcher: (any DocumentFetcher)?, timeSource: any TimeSource
    ) throws -> ResourceTokenVerifier {
        var origins: [String: String] = [:]
        for resource in configuration.resources { origins[resource.issuer ?? resource.origin] = resource.origin }
        return ResourceTokenVerifier(
            resources: try IssuerKeyRegistry.resources(configuration, fetcher: fetcher, timeSource: timeSource),
            origins: origins, audience: configuration.effectiveIssuer, timeSource: timeSource,
            window: TimeInterval(configuration.signatures.windowSeconds))
    }
}
