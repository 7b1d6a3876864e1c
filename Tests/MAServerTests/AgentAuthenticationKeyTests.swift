import Foundation
import HTTPKit
import MissionCore
import Testing

@testable import MAServer

private typealias S = AgentAuthenticationSupport

/// `hwk` keys: algorithms, registration, pseudonymous agents, ES256 encodings.
@Suite struct AgentAuthenticationInlineKeyTests {
    private let agentX = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"

    private func request(_ member: String, keyID: String? = nil) throws -> HTTPRequest {
        try SignedRequest(signatureKey: member).with { $0.keyID = keyID }.build { try S.agentKey().signature(for: $0) }
    }

    @Test func unregisteredKeyIsRefused() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        let member = S.hwkMember([("alg", "Ed25519"), ("kty", "OKP"), ("crv", "Ed25519"), ("x", agentX)])
        let failure = await authenticator.authenticate(try request(member)).failure
        #expect(failure?.code == .invalidKey)
        #expect(failure?.detail == "unregistered key")
    }

    @Test func registeredKeyIsAccepted() async throws {
        let authenticator = try S.authenticator(clock: S.clock(), registered: [S.vectorThumbprint])
        let member = S.hwkMember([("alg", "Ed25519"), ("kty", "OKP"), ("crv", "Ed25519"), ("x", agentX)])
        let agent = try await authenticator.authenticate(try request(member)).get()
        #expect(agent.agentID == "urn:jkt:sha-256:" + S.vectorThumbprint)
        #expect(agent.scheme == .hwk)
        #expect(agent.agentToken == nil)
    }

    @Test func pseudonymousModeAcceptsAnyValidKey() async throws {
        let authenticator = try S.authenticator(clock: S.clock(), pseudonymous: true)
        // Members in the other order, as http-message-signatures callers build them (Docs/Interop.md §3).
        let member = S.hwkMember([("kty", "OKP"), ("crv", "Ed25519"), ("x", agentX), ("alg", "Ed25519")])
        #expect(try await authenticator.authenticate(try request(member)).get().thumbprint == S.vectorThumbprint)
    }

    @Test func edDSAAliasIsAccepted() async throws {
        let authenticator = try S.authenticator(clock: S.clock(), pseudonymous: true)
        let member = S.hwkMember([("kty", "OKP"), ("crv", "Ed25519"), ("x", agentX), ("alg", "EdDSA")])
        #expect(try await authenticator.authenticate(try request(member)).get().scheme == .hwk)
    }

    @Test(
        arguments: [
            [
                ("kty", "OKP"), ("crv", "Ed25519"), ("x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"),
                ("alg", "none"),
            ],
            [("kty", "oct"), ("k", "c2VjcmV0"), ("alg", "HS256")],
            [
                ("kty", "OKP"), ("crv", "Ed25519"), ("x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"),
                ("alg", "HS256"),
            ],
            [("kty", "OKP"), ("crv", "Ed25519"), ("x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")],
            [("kty", "RSA"), ("n", "AQAB"), ("e", "AQAB"), ("alg", "RS256")],
            [("kty", "OKP"), ("crv", "Ed448"), ("x", "AQAB"), ("alg", "Ed448")],
        ] as [[(String, String?)]])
    func unsupportedAlgorithms(members: [(String, String?)]) async throws {
        let authenticator = try S.authenticator(clock: S.clock(), pseudonymous: true)
        let failure = try #require(await authenticator.authenticate(try request(S.hwkMember(members))).failure)
        #expect(failure.code == .unsupportedAlgorithm)
        #expect(failure.acceptedAlgorithms == ["Ed25519", "ES256"])
        #expect(failure.responseFields.contains { $0.name == "Accept-Signature-Alg" && $0.value == "Ed25519, ES256" })
    }

    @Test(
        arguments: [
            // kty/crv disagree with alg (wire notes §1.1).
            [
                ("kty", "OKP"), ("crv", "Ed25519"), ("x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"),
                ("alg", "ES256"),
            ],
            // Not a point of the right length.
            [("kty", "OKP"), ("crv", "Ed25519"), ("x", "AQAB"), ("alg", "Ed25519")],
            // kid MUST NOT appear on hwk.
            [
                ("kty", "OKP"), ("crv", "Ed25519"), ("x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"),
                ("alg", "Ed25519"),
                ("kid", "k1"),
            ],
            // Structurally incomplete.
            [("kty", "OKP"), ("alg", "Ed25519")],
        ] as [[(String, String?)]])
    func invalidKeys(members: [(String, String?)]) async throws {
        let authenticator = try S.authenticator(clock: S.clock(), pseudonymous: true)
        #expect(await authenticator.authenticate(try request(S.hwkMember(members))).failure?.code == .invalidKey)
    }

    @Test func keyIDMustBeTheThumbprint() async throws {
        let authenticator = try S.authenticator(clock: S.clock(), pseudonymous: true)
        let member = S.hwkMember([("kty", "OKP"), ("crv", "Ed25519"), ("x", agentX), ("alg", "Ed25519")])
        #expect(await authenticator.authenticate(try request(member, keyID: "other")).failure?.code == .invalidKey)
        let good = try request(member, keyID: S.vectorThumbprint)
        #expect(try await authenticator.authenticate(good).get().thumbprint == S.vectorThumbprint)
    }

    @Test(arguments: [P256.Signing.SignatureFormat.raw, .der])
    func es256SignaturesInBothEncodings(format: P256.Signing.SignatureFormat) async throws {
        let key = try P256.Signing.PrivateKey()
        let jwk = JWK(publicKey: key.publicKey, use: nil)
        let authenticator = try S.authenticator(clock: S.clock(), registered: [jwk.thumbprint()])
        let request = try SignedRequest(signatureKey: S.hwkMember(for: jwk)).build {
            try key.signature(for: $0, format: format)
        }
        let agent = try await authenticator.authenticate(request).get()
        #expect(agent.publicKey == jwk)
        let sent = try SignatureField(parsing: try #require(request.headers["Signature"])).signature(for: "sig")
        #expect(format == .raw ? sent.count == 64 : sent.first == 0x30 && sent.count > 64)
    }

    @Test func es256SignatureByAnotherKeyIsRefused() async throws {
        let key = try P256.Signing.PrivateKey()
        let other = try P256.Signing.PrivateKey()
        let authenticator = try S.authenticator(clock: S.clock(), pseudonymous: true)
        let request = try SignedRequest(signatureKey: S.hwkMember(for: JWK(publicKey: key.publicKey))).build {
            try other.signature(for: $0, format: .der)
        }
        #expect(await authenticator.authenticate(request).failure?.code == .invalidSignature)
    }

    @Test func parsedKeysAreReusedAcrossRequests() async throws {
        let authenticator = try S.authenticator(clock: S.clock(), pseudonymous: true)
        let member = S.hwkMember([("kty", "OKP"), ("crv", "Ed25519"), ("x", agentX), ("alg", "Ed25519")])
        for offset in 0..<3 as Range<Int64> {
            let request = try SignedRequest(signatureKey: member).with { $0.created = S.created + offset }
                .build { try S.agentKey().signature(for: $0) }
            #expect(try await authenticator.authenticate(request).get().scheme == .hwk)
        }
    }
}

/// `jwt` keys: the agent token's checks (wire notes §2.2, §2.8).
@Suite struct AgentAuthenticationAgentTokenTests {
    private func authenticate(
        token: String, signingKey: Ed25519.PrivateKey? = nil, clock: ManualTimeSource = S.clock()
    ) async throws -> Result<AuthenticatedAgent, SignatureFailure> {
        let key = try signingKey ?? S.agentKey()
        let request = try SignedRequest(signatureKey: S.jwtMember(token)).build { try key.signature(for: $0) }
        return try await S.authenticator(clock: clock).authenticate(request)
    }

    @Test func mintedTokenVerifies() async throws {
        let token = try S.mintToken(claims: S.agentClaims())
        let agent = try await authenticate(token: token).get()
        #expect(agent.agentToken?.tokenID == "at-0002")
        #expect(agent.agentToken?.personServer == nil)
    }

    @Test(arguments: ["aa-auth+jwt", "aa-person+jwt", "aa-resource+jwt", "JWT", "aa-agent+JWT"])
    func otherTokenTypesAreInvalidJWT(type: String) async throws {
        let token = try S.mintToken(claims: S.agentClaims(), type: type)
        let failure = try await authenticate(token: token).failure
        #expect(failure?.code == .invalidJWT)
        #expect(failure?.detail.contains("typ") == true)
    }

    @Test func tokenWithoutTypIsInvalidJWT() async throws {
        let token = try S.rawToken(header: #"{"alg":"Ed25519","kid":"ap-key-1"}"#, claims: S.agentClaims())
        #expect(try await authenticate(token: token).failure?.code == .invalidJWT)
    }

    @Test func subAgentTokenIsRefused() async throws {
        var claims = try S.agentClaims()
        claims["parent_agent"] = "aauth:parent@agent.example"
        let failure = try await authenticate(token: try S.mintToken(claims: claims)).failure
        #expect(failure?.code == .invalidJWT)
        #expect(failure?.detail == "sub-agent tokens (parent_agent) are refused")
    }

    @Test func unknownKeyIDIsUnknownKey() async throws {
        let token = try S.mintToken(claims: S.agentClaims(), keyID: "ap-key-2")
        #expect(try await authenticate(token: token).failure?.code == .unknownKey)
    }

    @Test func expiredTokenIsExpiredJWT() async throws {
        let token = try S.mintToken(claims: S.agentClaims(expires: S.created))
        #expect(try await authenticate(token: token).failure?.code == .expiredJWT)
    }

    @Test func futureIssuedAtIsClockSkew() async throws {
        let token = try S.mintToken(claims: S.agentClaims(issuedAt: S.created + 120))
        #expect(try await authenticate(token: token).failure?.code == .clockSkew)
    }

    @Test func confirmationKeyMustBeTheSigningKey() async throws {
        let other = try Ed25519.PrivateKey()
        let token = try S.mintToken(claims: S.agentClaims())
        let failure = try await authenticate(token: token, signingKey: other).failure
        #expect(failure?.code == .invalidSignature)
    }

    @Test func tokenSignedByAnotherKeyIsInvalidJWT() async throws {
        let token = try S.mintToken(claims: S.agentClaims(), signer: .ed25519(try Ed25519.PrivateKey()))
        #expect(try await authenticate(token: token).failure?.code == .invalidJWT)
    }

    @Test(arguments: [
        #"{"alg":"none","typ":"aa-agent+jwt","kid":"ap-key-1"}"#,
        #"{"alg":"HS256","typ":"aa-agent+jwt","kid":"ap-key-1"}"#,
    ])
    func forbiddenHeaderAlgorithmsAreInvalidJWT(header: String) async throws {
        let token = try S.rawToken(header: header, claims: S.agentClaims())
        #expect(try await authenticate(token: token).failure?.code == .invalidJWT)
    }

    @Test func edDSAHeaderAliasIsAccepted() async throws {
        let token = try S.rawToken(
            header: #"{"alg":"EdDSA","typ":"aa-agent+jwt","kid":"ap-key-1"}"#, claims: S.agentClaims())
        #expect(try await authenticate(token: token).get().scheme == .jwt)
    }

    @Test func edDSAConfirmationKeyIsAccepted() async throws {
        var claims = try S.agentClaims()
        claims["cnf"] = [
            "jwk": [
                "kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
                "alg": "EdDSA",
            ]
        ]
        #expect(try await authenticate(token: try S.mintToken(claims: claims)).get().thumbprint == S.vectorThumbprint)
    }

    @Test(arguments: [
        (
            ["kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "alg": "none"],
            SignatureErrorCode.unsupportedAlgorithm
        ),
        (["kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"], .unsupportedAlgorithm),
        (["kty": "oct", "k": "c2VjcmV0", "alg": "HS256"], .unsupportedAlgorithm),
        (
            ["kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "alg": "ES256"],
            .invalidKey
        ),
        (["kty": "OKP", "crv": "Ed25519", "x": "AQAB", "alg": "Ed25519"], .invalidKey),
    ])
    func confirmationKeyProblems(jwk: [String: String], code: SignatureErrorCode) async throws {
        var claims = try S.agentClaims()
        claims["cnf"] = ["jwk": .object(jwk.mapValues { .string($0) })]
        #expect(try await authenticate(token: try S.mintToken(claims: claims)).failure?.code == code)
    }

    @Test(arguments: ["sub", "jti", "exp", "cnf", "iss"])
    func missingClaimsAreInvalidJWT(claim: String) async throws {
        var claims = try S.agentClaims()
        claims[claim] = nil
        #expect(try await authenticate(token: try S.mintToken(claims: claims)).failure?.code == .invalidJWT)
    }

    @Test func wrongDocumentNameIsInvalidJWT() async throws {
        var claims = try S.agentClaims()
        claims["dwk"] = "aauth-person.json"
        #expect(try await authenticate(token: try S.mintToken(claims: claims)).failure?.code == .invalidJWT)
    }

    @Test func unconfiguredIssuerIsInvalidJWT() async throws {
        var claims = try S.agentClaims()
        claims["iss"] = "https://other.example"
        #expect(try await authenticate(token: try S.mintToken(claims: claims)).failure?.code == .invalidJWT)
    }

    @Test func malformedTokenIsInvalidJWT() async throws {
        #expect(try await authenticate(token: "not.a.jwt").failure?.code == .invalidJWT)
    }

    @Test func es256AgentKeyInToken() async throws {
        let key = try P256.Signing.PrivateKey()
        let token = try S.mintToken(claims: S.agentClaims(key: JWK(publicKey: key.publicKey, use: nil)))
        let request = try SignedRequest(signatureKey: S.jwtMember(token)).build {
            try key.signature(for: $0, format: .der)
        }
        let agent = try await S.authenticator(clock: S.clock()).authenticate(request).get()
        #expect(agent.publicKey.keyType == .ec)
    }
}
