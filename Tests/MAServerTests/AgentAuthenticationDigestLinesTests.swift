import HTTPKit
import MissionCore
import Testing

@testable import MAServer

private typealias S = AgentAuthenticationSupport

/// `Content-Digest` sent as several field lines is the lines joined with ", " (RFC 9110 §5.3): the authenticator
/// reads one line as it is and joins several, and both must decide exactly as one joined line does.
@Suite struct AgentAuthenticationDigestLinesTests {
    static let body = Array(S.vectorBody.utf8)
    static let sha256 = ContentDigest.fieldValue(algorithm: .sha256, digest: SHA256.hash(body))
    static let sha512 = ContentDigest.fieldValue(algorithm: .sha512, digest: SHA512.hash(body))
    static let wrong256 = ContentDigest.fieldValue(algorithm: .sha256, digest: [UInt8](repeating: 7, count: 32))

    /// The verdict as comparable text: the agent on success, the code and detail on failure.
    static func verdict(_ request: HTTPRequest) async throws -> String {
        // A fresh authenticator each time: the same signature twice would be a replay.
        let authenticator = try S.authenticator(clock: S.clock())
        switch await authenticator.authenticate(request) {
        case .success(let agent): return "accepted \(agent.agentID)"
        case .failure(let failure): return "refused \(failure.code) \(failure.detail) \(failure.requiredInput ?? [])"
        }
    }

    /// A request signed over `lines` joined, sent either as that one line or as the separate lines.
    static func request(lines: [String], split: Bool) throws -> HTTPRequest {
        var request = try SignedRequest(signatureKey: S.jwtMember(S.vectorToken))
            .with { $0.digest = lines.joined(separator: ", ") }
            .build { try S.agentKey().signature(for: $0) }
        guard split else { return request }
        request.headers.remove(name: "Content-Digest")
        for (index, line) in lines.enumerated() {
            request.headers.add(name: index.isMultiple(of: 2) ? "Content-Digest" : "content-digest", value: line)
        }
        return request
    }

    @Test(
        arguments: [
            [sha256], [sha512], [wrong256], [sha512, sha256], [sha256, sha512], [sha256, "unixsum=:AAAA:"],
            ["md5=:AA==:", sha256], [sha256, "sha-256=:AA==:"], [sha256, wrong256], [wrong256, sha256],
            [sha256, "sha-256=:AA"], ["sha-256", sha256], [sha256, "sha-384=:AA==:"], [sha256 + ";p=1", sha512],
            [sha256, "sha-256=:!!:"], [sha256, "x=1"],
        ])
    func splitLinesDecideAsOneLine(lines: [String]) async throws {
        let joined = try await Self.verdict(Self.request(lines: lines, split: false))
        let split = try await Self.verdict(Self.request(lines: lines, split: true))
        #expect(split == joined)
    }

    @Test func theUsualLineIsAccepted() async throws {
        let verdict = try await Self.verdict(Self.request(lines: [Self.sha256], split: false))
        #expect(verdict == "accepted aauth:assistant@agent.example")
    }

    @Test func aWrongDigestIsRefusedOnEitherForm() async throws {
        for split in [false, true] {
            let verdict = try await Self.verdict(Self.request(lines: [Self.sha512, Self.wrong256], split: split))
            // sha-512 is preferred and matches; the wrong sha-256 beside it is never consulted.
            #expect(verdict == "accepted aauth:assistant@agent.example")
            let refused = try await Self.verdict(Self.request(lines: [Self.wrong256, "md5=:AA==:"], split: split))
            #expect(refused.hasPrefix("refused invalidSignature Content-Digest does not match the body"))
        }
    }
}
