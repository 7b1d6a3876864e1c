import Foundation
import MissionCore
import Testing

@testable import MAServer

private typealias S = AgentAuthenticationSupport

/// `aa-resource+jwt` verification (wire notes §2.4) and the configuration that feeds agent authentication.
@Suite struct AgentAuthenticationResourceTokenTests {
    private let resourceIssuer = "https://flights.example"
    private let mission = Base64URL.encode(SHA256.hash(Array("blob".utf8)))

    private func verifier(clock: ManualTimeSource = S.clock()) throws -> ResourceTokenVerifier {
        let jwks =
            #"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"PUAXw-hDiVqStwqnTRt-vJyYLM8uxJaMwM1V8Sr0Zgw","alg":"Ed25519","kid":"r1"}]}"#
        let registry = IssuerKeyRegistry(
            pinned: [resourceIssuer: try JWKSet(jsonData: Array(jwks.utf8))], metadataDocument: "aauth-resource.json")
        return ResourceTokenVerifier(
            resources: registry, origins: [resourceIssuer: resourceIssuer], audience: "https://ma.example",
            timeSource: clock)
    }

    private func claims() -> [String: JOSEJSON] {
        [
            "iss": .string(resourceIssuer), "dwk": "aauth-resource.json", "aud": "https://ma.example",
            "jti": "rt-1", "iat": .integer(S.created - 10), "exp": .integer(S.created + 290),
            "agent_jkt": .string(S.vectorThumbprint), "scope": "search fare.hold", "mission_s256": .string(mission),
            "ps": "https://ma.example", "sub": "u1", "presented_jti": "pt-1",
        ]
    }

    private func token(_ claims: [String: JOSEJSON], type: String = "aa-resource+jwt", kid: String = "r1") throws
        -> String
    {
        try S.mintToken(claims: claims, type: type, keyID: kid)
    }

    @Test func validTokenGrantsItsScopes() async throws {
        let verified = try await verifier().verify(try token(claims()), agentThumbprint: S.vectorThumbprint).get()
        #expect(verified.resourceOrigin == resourceIssuer)
        #expect(verified.scopes == ["search", "fare.hold"])
        #expect(verified.missionS256 == mission)
        #expect(verified.tokenID == "rt-1")
        #expect(verified.expiresAt == S.created + 290)
    }

    @Test func wrongTypeIsRefusedFirst() async throws {
        let result = try await verifier().verify(
            try token(claims(), type: "aa-auth+jwt"), agentThumbprint: S.vectorThumbprint)
        #expect(result.failure == .wrongType("aa-auth+jwt"))
        #expect(result.failure?.status == .badRequest)
        #expect(result.failure?.errorCode == "invalid_resource_token")
    }

    @Test func agentKeyMustMatchTheSigner() async throws {
        let result = try await verifier().verify(try token(claims()), agentThumbprint: "someone-else")
        #expect(result.failure == .agentKeyMismatch)
    }

    @Test func audienceMustBeThisAuthority() async throws {
        var claims = claims()
        claims["aud"] = "https://ps.example"
        #expect(
            try await verifier().verify(try token(claims), agentThumbprint: S.vectorThumbprint).failure
                == .wrongAudience)
    }

    @Test func expiredTokenHasItsOwnCode() async throws {
        let result = try await verifier(clock: S.clock(at: S.created + 290)).verify(
            try token(claims()), agentThumbprint: S.vectorThumbprint)
        #expect(result.failure == .expired)
        #expect(result.failure?.errorCode == "expired_resource_token")
        #expect(result.failure?.response().status == .badRequest)
    }

    @Test func unknownIssuerAndKid() async throws {
        var claims = claims()
        #expect(
            try await verifier().verify(try token(claims, kid: "r2"), agentThumbprint: S.vectorThumbprint).failure
                == .unknownKey)
        claims["iss"] = "https://hotels.example"
        #expect(
            try await verifier().verify(try token(claims), agentThumbprint: S.vectorThumbprint).failure
                == .unknownIssuer)
    }

    @Test(arguments: [
        ("mission_s256", JOSEJSON.string("short")), ("scope", .integer(1)), ("dwk", "aauth-agent.json"),
        ("jti", .null), ("agent_jkt", .integer(3)),
    ])
    func invalidClaims(name: String, value: JOSEJSON) async throws {
        var claims = claims()
        claims[name] = value
        let failure = try await verifier().verify(try token(claims), agentThumbprint: S.vectorThumbprint).failure
        #expect(failure == .invalidClaim(name))
    }

    @Test func absentScopeGrantsNothing() async throws {
        var claims = claims()
        claims["scope"] = nil
        claims["mission_s256"] = nil
        let verified = try await verifier().verify(try token(claims), agentThumbprint: S.vectorThumbprint).get()
        #expect(verified.scopes.isEmpty)
        #expect(verified.missionS256 == nil)
    }

    @Test func forgedSignatureIsRefused() async throws {
        let forged = try S.mintToken(
            claims: claims(), type: "aa-resource+jwt", keyID: "r1",
            signer: .ed25519(try Ed25519.PrivateKey()))
        #expect(try await verifier().verify(forged, agentThumbprint: S.vectorThumbprint).failure == .badSignature)
    }
}

@Suite struct AgentAuthenticationConfigurationTests {
    private func decode(_ json: String) throws -> Configuration {
        try ConfigurationLoader.decode(Data(json.utf8))
    }

    @Test func productionAcceptsTheIssuerAndExtraAuthorities() throws {
        let configuration = try decode(#"{"issuer": "https://ma.example", "extra_authorities": ["MA.internal:8443"]}"#)
        try configuration.validate()
        let settings = AgentAuthenticator.Settings(
            configuration: configuration, startedAt: Date(timeIntervalSince1970: 5))
        #expect(settings.acceptedAuthorities == ["ma.example", "ma.internal:8443"])
        #expect(settings.scheme == "https")
        #expect(settings.notBefore == 5)
        #expect(settings.window == 60)
        #expect(!settings.allowsPseudonymousAgents)
    }

    @Test func developmentAddsTheListenAddressAndLoopbackNames() throws {
        let configuration = try decode(
            #"{"development": true, "listen": "0.0.0.0:18080", "issuer": "https://ma.interop.test", "agents": {"allow_pseudonymous": true}}"#
        )
        try configuration.validate()
        let settings = AgentAuthenticator.Settings(configuration: configuration, startedAt: Date())
        #expect(
            settings.acceptedAuthorities == [
                "ma.interop.test", "0.0.0.0:18080", "localhost:18080", "127.0.0.1:18080", "[::1]:18080",
            ])
        #expect(settings.allowsPseudonymousAgents)
    }

    @Test(arguments: ["https://ma.example", "ma.example/path", "user@ma.example", "", "ma example"])
    func invalidExtraAuthoritiesAreRefused(authority: String) throws {
        var configuration = try decode(#"{"issuer": "https://ma.example"}"#)
        configuration.extraAuthorities = [authority]
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
    }

    @Test func authenticatorFromConfigurationVerifiesTheVector() async throws {
        let configuration = try decode(
            #"{"issuer": "https://ma.example", "agent_providers": [{"issuer": "https://agent.example", "jwks": "#
                + S.apJWKS + "}]}")
        try configuration.validate()
        let clock = S.clock()
        let authenticator = try AgentAuthenticator.make(
            configuration: configuration, startedAt: clock.now(), timeSource: clock, fetcher: nil,
            isRegisteredKey: { _ in false })
        #expect(try await authenticator.authenticate(S.vectorRequest()).get().agentToken?.tokenID == "at-0001")
    }

    @Test func unreadableJWKSFileIsAConfigurationError() throws {
        let configuration = try decode(
            #"{"issuer": "https://ma.example", "agent_providers": [{"issuer": "https://agent.example", "jwks_file": "/nonexistent/jwks.json"}]}"#
        )
        #expect(throws: ConfigurationError.self) {
            try IssuerKeyRegistry.agentProviders(configuration, fetcher: nil, timeSource: SystemTimeSource())
        }
    }
}
