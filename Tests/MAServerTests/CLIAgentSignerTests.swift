import Foundation
import HTTPKit
import MissionCore
import Testing

@testable import MAServer

/// The helper's signatures checked by the MA's own verifier (AgentAuthenticator), not by a re-implementation.
@Suite struct CLIAgentSignerTests {
    static let authority = "127.0.0.1:8080"

    private func authenticator(clock: ManualTimeSource) -> AgentAuthenticator {
        AgentAuthenticator(
            settings: .init(
                acceptedAuthorities: [Self.authority], scheme: "http", notBefore: 0, allowsPseudonymousAgents: true),
            providers: IssuerKeyRegistry(pinned: [:], metadataDocument: "aauth-agent.json"), timeSource: clock,
            isRegisteredKey: { _ in false })
    }

    private func signer() throws -> AgentRequestSigner {
        AgentRequestSigner(key: try AgentKey.generate(), identity: .hwk, authority: Self.authority)
    }

    @Test(arguments: [("POST", ##"{"description":"# Demo"}"##), ("GET", "")])
    func signedRequestsAuthenticateAsTheKeysThumbprint(method: String, body: String) async throws {
        let signer = try signer()
        let clock = ManualTimeSource(Date(timeIntervalSince1970: 1_800_000_000))
        let request = try signer.sign(
            method: HTTPMethod(rawValue: method), target: "/mission", body: Array(body.utf8), created: 1_800_000_000)
        let agent = try await authenticator(clock: clock).authenticate(request).get()
        #expect(agent.agentID == signer.key.agentID)
        #expect(agent.agentID.hasPrefix("urn:jkt:sha-256:"))
    }

    @Test func twoRequestsInOneSecondDifferByTheirNonce() async throws {
        let signer = try signer()
        let clock = ManualTimeSource(Date(timeIntervalSince1970: 1_800_000_000))
        let verifier = authenticator(clock: clock)
        let first = try signer.sign(method: .get, target: "/pending/x", created: 1_800_000_000)
        let second = try signer.sign(method: .get, target: "/pending/x", created: 1_800_000_000)
        #expect(first.headers["Signature"] != second.headers["Signature"])
        _ = try await verifier.authenticate(first).get()
        _ = try await verifier.authenticate(second).get()
        // The same bytes again are a replay.
        #expect(await verifier.authenticate(first).failure != nil)
    }

    @Test func tamperedBodyOrStaleSignatureIsRefused() async throws {
        let signer = try signer()
        let clock = ManualTimeSource(Date(timeIntervalSince1970: 1_800_000_000))
        var tampered = try signer.sign(
            method: .post, target: "/token", body: Array(#"{"scope":"read"}"#.utf8), created: 1_800_000_000)
        tampered.body = Array(#"{"scope":"admin"}"#.utf8)
        #expect(await authenticator(clock: clock).authenticate(tampered).failure != nil)
        let stale = try signer.sign(method: .get, target: "/pending/x", created: 1_800_000_000 - 3600)
        #expect(await authenticator(clock: clock).authenticate(stale).failure != nil)
    }

    @Test func agentTokenIdentityIsSentWithTheJWTScheme() throws {
        let token = "eyJhbGciOiJFZDI1NTE5In0.e30.c2ln"
        let signer = AgentRequestSigner(
            key: try AgentKey.generate(), identity: .agentToken(token), authority: Self.authority)
        let request = try signer.sign(method: .get, target: "/mission/abc")
        #expect(request.headers["Signature-Key"] == #"sig=jwt;jwt=""# + token + #"""#)
        #expect(
            request.headers["Signature-Input"]?.contains(#""@method" "@authority" "@path" "signature-key""#) == true)
    }

    @Test func keyFilesAreOwnerOnlyAndNeverOverwritten() async throws {
        try await CLITestSupport.withTemporaryDirectory { folder in
            let path = folder + "/agent.pem"
            let keygen = try CLITestSupport.parse(["agent", "keygen", "--out", path], as: AgentCommand.Keygen.self)
            let output = try keygen.execute()
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let loaded = try AgentKey.load(path: path)
            #expect(output.lines.first == "agent: \(loaded.agentID)")
            #expect(output.lines.last == "jwk: \(loaded.publicJWK.jsonString)")
            #expect(throws: CLIError.self) { try keygen.execute() }
            #expect(try AgentKey.load(path: path).agentID == loaded.agentID)
        }
    }

    @Test func refusesAFileThatIsNotAKey() async throws {
        try await CLITestSupport.withTemporaryDirectory { folder in
            let path = folder + "/not-a-key.pem"
            try "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".write(
                toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: CLIError.self) { try AgentKey.load(path: path) }
        }
    }
}
