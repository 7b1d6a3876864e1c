import Foundation
import HTTPKit
import MissionCore
import Testing

@testable import MAServer

private typealias S = AgentAuthenticationSupport

@Suite struct AgentAuthenticationVectorTests {
    @Test func sharedVectorVerifies() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        let agent = try await authenticator.authenticate(S.vectorRequest()).get()
        #expect(agent.agentID == "aauth:assistant@agent.example")
        #expect(agent.scheme == .jwt)
        #expect(agent.thumbprint == S.vectorThumbprint)
        #expect(agent.publicKey.thumbprint() == S.vectorThumbprint)
        #expect(agent.agentToken?.tokenID == "at-0001")
        #expect(agent.agentToken?.issuer == S.issuer)
        #expect(agent.agentToken?.expiresAt == 1_730_220_600)
        #expect(agent.agentToken?.personServer == "https://ma.example")
        #expect(agent.signatureCreated == S.created)
    }

    @Test(arguments: [-60, 0, 30, 60] as [Int64])
    func vectorInsideTheWindow(offset: Int64) async throws {
        let authenticator = try S.authenticator(clock: S.clock(at: S.created + offset), notBefore: S.created - 100)
        #expect(
            try await authenticator.authenticate(S.vectorRequest()).get().agentID == "aauth:assistant@agent.example")
    }

    @Test(
        arguments: [
            (61, SignatureErrorCode.invalidSignature), (3600, .invalidSignature), (-61, .clockSkew), (-600, .clockSkew),
        ] as [(Int64, SignatureErrorCode)])
    func vectorOutsideTheWindow(offset: Int64, code: SignatureErrorCode) async throws {
        let authenticator = try S.authenticator(clock: S.clock(at: S.created + offset), notBefore: S.created - 1000)
        #expect(await authenticator.authenticate(S.vectorRequest()).failure?.code == code)
    }

    @Test(arguments: ["Signature", "Signature-Input", "Signature-Key"])
    func missingSignatureFields(field: String) async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        let failure = await authenticator.authenticate(S.vectorRequest(removing: field)).failure
        #expect(failure?.code == .invalidSignature)
    }

    @Test func missingContentDigestIsInvalidInput() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        let failure = try #require(
            await authenticator.authenticate(S.vectorRequest(removing: "Content-Digest")).failure)
        #expect(failure.code == .invalidInput)
        #expect(failure.requiredInput == ["content-digest"])
    }

    @Test func tamperedBodyFailsTheDigest() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        let failure = await authenticator.authenticate(S.vectorRequest(body: #"{"description":"other"}"#)).failure
        #expect(failure?.code == .invalidSignature)
        #expect(failure?.detail == "Content-Digest does not match the body")
    }

    @Test func wrongAuthorityIsRefused() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        let failure = await authenticator.authenticate(S.vectorRequest(host: "evil.example")).failure
        #expect(failure?.code == .invalidSignature)
        #expect(failure?.detail == "the request's authority is not this server's")
    }

    @Test func hostIsLowercasedForTheBase() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        #expect(try await authenticator.authenticate(S.vectorRequest(host: "MA.Example")).get().scheme == .jwt)
    }

    @Test func replayOfTheVectorIsRefused() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        _ = try await authenticator.authenticate(S.vectorRequest()).get()
        let failure = await authenticator.authenticate(S.vectorRequest()).failure
        #expect(failure?.code == .invalidSignature)
        #expect(failure?.detail == "this signature was already used")
    }

    @Test func restartRefusesSignaturesFromBeforeTheStart() async throws {
        // A new process (empty replay cache) started one second after the vector was signed.
        let authenticator = try S.authenticator(clock: S.clock(at: S.created + 1), notBefore: S.created + 1)
        let failure = await authenticator.authenticate(S.vectorRequest()).failure
        #expect(failure?.code == .invalidSignature)
    }

    @Test func expiredAgentTokenIsExpiredJWT() async throws {
        // The vector's token expires at 1730220600; a request signed after that carries an expired token.
        let clock = S.clock(at: 1_730_220_600)
        let authenticator = try S.authenticator(clock: clock)
        let request = try SignedRequest(signatureKey: S.jwtMember(S.vectorToken)).with { $0.created = 1_730_220_600 }
            .build { try S.agentKey().signature(for: $0) }
        #expect(await authenticator.authenticate(request).failure?.code == .expiredJWT)
    }

    @Test func cachedTokenStillExpires() async throws {
        let clock = S.clock()
        let authenticator = try S.authenticator(clock: clock)
        _ = try await authenticator.authenticate(S.vectorRequest()).get()
        clock.set(Date(timeIntervalSince1970: 1_730_220_600))
        let request = try SignedRequest(signatureKey: S.jwtMember(S.vectorToken)).with { $0.created = 1_730_220_600 }
            .build { try S.agentKey().signature(for: $0) }
        #expect(await authenticator.authenticate(request).failure?.code == .expiredJWT)
    }

    @Test func failureResponseCarriesHeaderAndProblem() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        let failure = try #require(
            await authenticator.authenticate(S.vectorRequest(removing: "Content-Digest")).failure)
        let response = failure.response()
        #expect(response.status == .unauthorized)
        #expect(response.headers["Signature-Error"] == #"error=invalid_input, required_input=("content-digest")"#)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        let body = try JOSEJSON.parse(response.body)
        #expect(body["type"]?.stringValue == "urn:ietf:params:sig-error:invalid_input")
        #expect(body["error"]?.stringValue == "invalid_input")
        #expect(body["status"]?.integerValue == 401)
    }
}

extension SignedRequest {
    /// A modified copy, for chained set-up.
    func with(_ change: (inout SignedRequest) -> Void) -> SignedRequest {
        var copy = self
        change(&copy)
        return copy
    }
}

@Suite struct AgentAuthenticationCoverageTests {
    private func signed(_ change: (inout SignedRequest) -> Void) throws -> HTTPRequest {
        try SignedRequest(signatureKey: S.jwtMember(S.vectorToken)).with(change).build {
            try S.agentKey().signature(for: $0)
        }
    }

    @Test func uncoveredSignatureKeyIsInvalidInput() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        let request = try signed { $0.components = [.method, .authority, .path, .contentType, .contentDigest] }
        let failure = try #require(await authenticator.authenticate(request).failure)
        #expect(failure.code == .invalidInput)
        #expect(
            failure.requiredInput == [
                "@method", "@authority", "@path", "signature-key", "content-type", "content-digest",
            ])
        #expect(failure.responseFields.first?.value.hasPrefix("error=invalid_input, required_input=(") == true)
    }

    @Test func bodyWithoutDigestCoverageIsInvalidInput() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        let request = try signed { $0.components = [.method, .authority, .path, .signatureKey] }
        #expect(await authenticator.authenticate(request).failure?.code == .invalidInput)
    }

    @Test func coveredDigestNotSentIsInvalidInput() async throws {
        // As aauth's AgentRequestSigner callers do when they send only the returned headers (Docs/Interop.md §2.2).
        let authenticator = try S.authenticator(clock: S.clock())
        let request = try signed { _ in }
        var stripped = request
        stripped.headers.remove(name: "Content-Digest")
        #expect(await authenticator.authenticate(stripped).failure?.code == .invalidInput)
    }

    @Test func tamperedBodyWithRecomputedDigestFailsTheSignature() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        var request = try signed { _ in }
        request.body = Array(#"{"description":"tampered"}"#.utf8)
        request.headers.replaceOrAdd(
            name: "Content-Digest",
            value: ContentDigest.fieldValue(algorithm: .sha256, digest: SHA256.hash(request.body)))
        let failure = await authenticator.authenticate(request).failure
        #expect(failure?.code == .invalidSignature)
        #expect(failure?.detail == "the signature does not verify")
    }

    @Test func sha512DigestIsAccepted() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        let body = Array(S.vectorBody.utf8)
        let request = try signed { $0.digest = ContentDigest.fieldValue(algorithm: .sha512, digest: SHA512.hash(body)) }
        #expect(try await authenticator.authenticate(request).get().scheme == .jwt)
    }

    @Test func unsupportedDigestAlgorithmIsInvalidRequest() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        let request = try signed { $0.digest = "sha-384=:" + Base64.encode([UInt8](repeating: 1, count: 48)) + ":" }
        #expect(await authenticator.authenticate(request).failure?.code == .invalidRequest)
    }

    @Test func bodylessRequestNeedsOnlyTheFourComponents() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        let request = try signed {
            $0.method = "GET"
            $0.path = "/mission/abc"
            $0.body = []
        }
        #expect(try await authenticator.authenticate(request).get().agentID == "aauth:assistant@agent.example")
    }

    @Test func expiresInThePastIsRefused() async throws {
        let authenticator = try S.authenticator(clock: S.clock(at: S.created + 10))
        let request = try signed { $0.expires = S.created + 5 }
        #expect(await authenticator.authenticate(request).failure?.code == .invalidSignature)
    }

    @Test func expiresInTheFutureIsAccepted() async throws {
        let authenticator = try S.authenticator(clock: S.clock(at: S.created + 10))
        let request = try signed { $0.expires = S.created + 30 }
        #expect(try await authenticator.authenticate(request).get().scheme == .jwt)
    }

    @Test func otherLabelIsAccepted() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        let request = try signed { $0.label = "pyhms" }
        #expect(try await authenticator.authenticate(request).get().scheme == .jwt)
    }

    @Test func base64urlSignatureIsAccepted() async throws {
        // aauth-signing writes the Signature byte sequence as unpadded base64url (Docs/Interop.md §2.4 quirk 1).
        let authenticator = try S.authenticator(clock: S.clock(), notBefore: S.created - 100)
        var urlAlphabetSeen = false
        // Different created values give different signatures, so the URL alphabet's "-" and "_" occur.
        for offset in 0..<8 as Range<Int64> {
            let request = try signed {
                $0.encoding = .base64urlUnpadded
                $0.created = S.created - offset
            }
            let field = try #require(request.headers["Signature"])
            #expect(!field.dropFirst("sig=:".count).contains("="))
            if field.contains("-") || field.contains("_") { urlAlphabetSeen = true }
            #expect(try await authenticator.authenticate(request).get().scheme == .jwt)
        }
        #expect(urlAlphabetSeen)
    }

    @Test func defaultPortSignedVerbatimIsAccepted() async throws {
        // aauth-signing signs urlparse(url).netloc, keeping ":443" (Docs/Interop.md §2.4 quirk 3).
        let authenticator = try S.authenticator(clock: S.clock())
        let request = try signed {
            $0.host = "ma.example:443"
            $0.signedAuthority = "ma.example:443"
        }
        #expect(try await authenticator.authenticate(request).get().scheme == .jwt)
    }

    @Test func extraAuthorityIsAccepted() async throws {
        let authenticator = try S.authenticator(clock: S.clock(), authorities: ["ma.example", "127.0.0.1:8080"])
        let request = try signed { $0.host = "127.0.0.1:8080" }
        #expect(try await authenticator.authenticate(request).get().scheme == .jwt)
    }

    @Test func tamperedSignatureIsRefused() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        let request = try SignedRequest(signatureKey: S.jwtMember(S.vectorToken)).build { base in
            var signature = try S.agentKey().signature(for: base)
            signature[10] ^= 0x01
            return signature
        }
        #expect(await authenticator.authenticate(request).failure?.code == .invalidSignature)
    }

    @Test func truncatedEd25519SignatureIsRefused() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        let request = try SignedRequest(signatureKey: S.jwtMember(S.vectorToken)).build {
            Array(try S.agentKey().signature(for: $0).prefix(63))
        }
        #expect(await authenticator.authenticate(request).failure?.code == .invalidSignature)
    }

    @Test func distinctRequestsInOneSecondAreBothAccepted() async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        let first = try signed { $0.body = Array(#"{"description":"one"}"#.utf8) }
        let second = try signed { $0.body = Array(#"{"description":"two"}"#.utf8) }
        #expect(try await authenticator.authenticate(first).get().scheme == .jwt)
        #expect(try await authenticator.authenticate(second).get().scheme == .jwt)
        #expect(await authenticator.authenticate(first).failure?.detail == "this signature was already used")
    }

    @Test(arguments: [
        #"jwks_uri;id="https://agent.example";dwk="aauth-agent.json";kid="k1""#, #"x509;x5u="https://a.example/c.pem""#,
        "cached;cid=\"abc\"",
    ])
    func unknownSchemeIsUnsupportedScheme(member: String) async throws {
        let authenticator = try S.authenticator(clock: S.clock())
        let request = try SignedRequest(signatureKey: member).build { try S.agentKey().signature(for: $0) }
        let failure = try #require(await authenticator.authenticate(request).failure)
        #expect(failure.code == .unsupportedScheme)
        #expect(failure.acceptedSchemes == ["jwt", "hwk"])
        #expect(failure.responseFields.contains { $0.name == "Accept-Signature-Scheme" && $0.value == "jwt, hwk" })
    }
}
