import Foundation
import HTTPKit
import MissionCore
import Testing

@testable import MAServer

private typealias S = AgentAuthenticationSupport

/// Replay marks (Docs/Protocol.md, "Replay and restarts"): a signature dated ahead of the clock is put on disk
/// before anything is decided on it, only such a signature is, a mark that cannot be written refuses the request
/// with 503, and marks loaded at start refuse their signatures again.
@Suite("Security: replay marks for signatures dated ahead")
struct SecurityReplayMarkTests {
    /// Collects the marks an authenticator asks to record, answering `succeeds`.
    final class Recorder: Sendable {
        let marks = Locked<[ReplayMark]>([])
        let succeeds: Bool

        init(succeeds: Bool = true) { self.succeeds = succeeds }

        var recorded: [ReplayMark] { marks.withLock { $0 } }

        func record(_ mark: ReplayMark) async -> Bool {
            marks.withLock { $0.append(mark) }
            return succeeds
        }
    }

    /// The vector's authenticator with the clock `ahead` seconds before the vector's `created`.
    static func authenticator(
        ahead: Int64, recorder: Recorder, loaded: [ReplayMark] = []
    ) throws -> AgentAuthenticator {
        AgentAuthenticator(
            settings: AgentAuthenticator.Settings(acceptedAuthorities: [S.authority], notBefore: S.created - 100),
            providers: try S.providers(), timeSource: S.clock(at: S.created - ahead),
            isRegisteredKey: { _ in false }, replayMarks: loaded, recordReplayMark: recorder.record)
    }

    /// The replay cache's key for the vector request.
    static func vectorMarkDigest() throws -> [UInt8] {
        let signature = try #require(
            Base64.decode("zFZ8b9NNt7dfWcl64LQBF1nux2Ohi7gNY3o3DPsQ7gFS6rF95NtudMSjKshusNjU87X1VONSd4y0DtqSnMyeBg=="))
        return ReplayCache.key(thumbprint: S.vectorThumbprint, created: S.created, signature: signature).bytes
    }

    @Test(
        "a signature dated ahead is recorded once, with its replay key and created + window as expiry",
        arguments: [1, 30, 60] as [Int64])
    func aheadIsRecorded(ahead: Int64) async throws {
        let recorder = Recorder()
        let authenticator = try Self.authenticator(ahead: ahead, recorder: recorder)
        _ = try await authenticator.authenticate(S.vectorRequest()).get()
        #expect(
            recorder.recorded == [
                ReplayMark(digest: try Self.vectorMarkDigest(), created: S.created, expires: S.created + 60)
            ])
        // The replay is refused from memory, and nothing more is recorded.
        #expect(await authenticator.authenticate(S.vectorRequest()).failure?.code == .invalidSignature)
        #expect(recorder.recorded.count == 1)
    }

    @Test("a signature dated in the current second or earlier records nothing", arguments: [0, -1, -59] as [Int64])
    func currentOrPastIsNotRecorded(ahead: Int64) async throws {
        let recorder = Recorder()
        _ = try await Self.authenticator(ahead: ahead, recorder: recorder).authenticate(S.vectorRequest()).get()
        #expect(recorder.recorded.isEmpty)
    }

    @Test("a mark that cannot be written refuses the request: 503 with Retry-After, no Signature-Error")
    func unrecordedFailsClosed() async throws {
        let recorder = Recorder(succeeds: false)
        let failure = try #require(
            await Self.authenticator(ahead: 30, recorder: recorder).authenticate(S.vectorRequest()).failure)
        #expect(failure == .unrecorded)
        let response = failure.response()
        #expect(response.status == .serviceUnavailable)
        #expect(response.headers["Retry-After"] == "5")
        #expect(response.headers["Signature-Error"] == nil)
        #expect(try json(response)["error"]?.stringValue == "temporarily_unavailable")
        #expect(recorder.recorded.count == 1)
    }

    @Test("marks loaded at start refuse their signature; other signatures are unaffected")
    func loadedMarksRefuse() async throws {
        let mark = ReplayMark(digest: try Self.vectorMarkDigest(), created: S.created, expires: S.created + 60)
        let refusing = try Self.authenticator(ahead: 10, recorder: Recorder(), loaded: [mark])
        let failure = await refusing.authenticate(S.vectorRequest()).failure
        #expect(failure?.code == .invalidSignature)
        #expect(failure?.detail == "this signature was already used")
        let other = ReplayMark(digest: Array(repeating: 7, count: 32), created: S.created, expires: S.created + 60)
        let accepting = try Self.authenticator(ahead: 10, recorder: Recorder(), loaded: [other])
        #expect(try await accepting.authenticate(S.vectorRequest()).get().signatureCreated == S.created)
    }

    @Test("Digest256 gives back the bytes it wrapped")
    func digestBytesRoundTrip() {
        let bytes = (0..<32).map { UInt8($0 * 7 + 3) }
        #expect(Digest256(bytes).bytes == bytes)
    }

    @Test("Digest256 read straight from a hasher equals the wrapped digest", arguments: [0, 1, 55, 64, 1_000])
    func digestFromHasher(length: Int) {
        let input = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 5) }
        var hasher = SHA256.Hasher()
        hasher.update(input)
        let direct = Digest256(finalizing: hasher)
        #expect(direct == Digest256(SHA256.hash(input)))
        #expect(direct.bytes == SHA256.hash(input))
        #expect(Digest256(hashing: input) == direct)
    }

    @Test("MissionAuthority keeps marks until they expire and drops expired ones when it records")
    func storedMarks() async throws {
        let clock = ManualTimeSource(Date(timeIntervalSince1970: 1_000))
        let ma = try await TestMA.make(clock: clock)
        let authority = ma.app.authority
        let early = ReplayMark(digest: Array(repeating: 1, count: 32), created: 1_010, expires: 1_070)
        let late = ReplayMark(digest: Array(repeating: 2, count: 32), created: 1_050, expires: 1_110)
        try await authority.recordReplayMark(early)
        try await authority.recordReplayMark(early)  // a repeat is harmless
        try await authority.recordReplayMark(late)
        #expect(try authority.replayMarks(unexpiredAt: clock.now()) == [early, late])
        #expect(try authority.replayMarks(unexpiredAt: Date(timeIntervalSince1970: 1_070.9)) == [early, late])
        #expect(try authority.replayMarks(unexpiredAt: Date(timeIntervalSince1970: 1_071)) == [late])
        // Recording at 1 100 prunes `early` from the table itself, not only from the answer.
        clock.advance(by: 100)
        let third = ReplayMark(digest: Array(repeating: 3, count: 32), created: 1_120, expires: 1_180)
        try await authority.recordReplayMark(third)
        #expect(try authority.replayMarks(unexpiredAt: Date(timeIntervalSince1970: 0)) == [late, third])
        await ma.close()
    }

    @Test("the restart bound's input: the newest agent event among the last N, else the oldest of N, else none")
    func lastAgentActivity() async throws {
        let clock = ManualTimeSource(Date(timeIntervalSince1970: 2_000))
        let ma = try await SecuritySignatureTests.make(clock: clock)  // creates admin keys: system events only
        let authority = ma.app.authority
        #expect(try authority.lastAgentActivity(amongLast: 200) == nil)
        #expect(try authority.lastAgentActivity(amongLast: 2) == Date(timeIntervalSince1970: 2_000))
        clock.advance(by: 10)
        _ = try await SecuritySignatureTests.tokenBody(ma, try TestAgent.jwt(now: clock.now()))
        let agentTime = try #require(
            try SecuritySupport.events(authority).last(where: { $0.actorRole == .agent })?.time)
        clock.advance(by: 10)
        for index in 0..<3 {
            _ = try await authority.createAdminKey(name: "later \(index)", role: .auditor, by: .system)
        }
        #expect(try authority.lastAgentActivity(amongLast: 200) == agentTime)
        #expect(try authority.lastAgentActivity(amongLast: 3) == Date(timeIntervalSince1970: 2_020))
        #expect(try Application.lastAgentDecision(in: authority) == agentTime)
        await ma.close()
    }
}
