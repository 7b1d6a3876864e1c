import Testing

@testable import ma_bench

/// The load client against a raw server: statuses, transport failures, the deferred-proposal poll, the open-loop
/// schedule.
@Suite("LoadRunner")
struct LoadRunnerTests {
    private func run(
        _ scenario: Scenario, rate: Double? = nil, connections: Int = 4, reply: @escaping CannedServer.Reply
    ) async throws -> (LoadRunner.Outcome, CannedServer) {
        let server = try CannedServer(reply: reply)
        defer { server.stop() }
        let (_, agents) = try SignedRequestEncoderTests.agents()
        let factory = RequestFactory(
            authority: "127.0.0.1:\(server.port)", adminKey: "ma_test_key", resource: "https://api.bench.example",
            run: "t3st")
        let runner = LoadRunner(
            host: "127.0.0.1", port: server.port, factory: factory, scenario: scenario, agents: agents,
            connections: connections, rate: rate, warmup: .zero, duration: .milliseconds(500))
        return (try await runner.run {}, server)
    }

    @Test func countsStatusesAndErrorsByKind() async throws {
        let (outcome, server) = try await run(.mixed) { head in
            head.hasPrefix("POST /token") && head.contains("\"admin\"") == false
                ? ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false)
                : ("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", false)
        }
        #expect(outcome.completed > 0)
        #expect(outcome.statuses.values.reduce(0, +) == outcome.completed)
        #expect(outcome.errors["grant 200"] == nil)
        #expect((outcome.statuses["grant 200"] ?? 0) > 0)
        // Every request was signed and unique: no two token requests carry the same Signature.
        let signatures = server.receivedHeads.filter { $0.hasPrefix("POST /token") }
            .compactMap { $0.components(separatedBy: "\r\n").first { $0.hasPrefix("Signature: ") } }
        #expect(Set(signatures).count == signatures.count)
    }

    @Test(arguments: [
        "HTTX/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nextra",
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        "",
    ])
    func malformedOrMissingResponsesAreIO(reply: String) async throws {
        let (outcome, _) = try await run(.grant) { _ in (reply, true) }
        #expect(outcome.completed > 0)
        #expect(outcome.errors == ["grant io": outcome.completed])
        #expect(outcome.statuses == ["grant io": outcome.completed])
    }

    @Test func deferredProposalIsPolledOnceWithANonce() async throws {
        let (outcome, server) = try await run(.proposeDeferred, connections: 2) { head in
            head.hasPrefix("POST /mission")
                ? ("HTTP/1.1 202 Accepted\r\nLocation: /pending/r-1\r\nContent-Length: 2\r\n\r\n{}", false)
                : ("HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{}", false)
        }
        #expect(outcome.completed > 0)
        #expect(outcome.errors.isEmpty)
        let heads = server.receivedHeads
        let proposals = heads.filter { $0.hasPrefix("POST /mission ") }
        let polls = heads.filter { $0.hasPrefix("GET /pending/r-1 ") }
        #expect(abs(proposals.count - polls.count) <= 2)
        #expect(polls.allSatisfy { $0.contains(";nonce=\"") && $0.contains("\r\nSignature: sig=:") })
    }

    /// Open loop at 200 req/s for 0.5 s: requests 0…99 fall due inside the window, and each is sent exactly once,
    /// however the server keeps up.
    @Test func openLoopSendsTheScheduledRequests() async throws {
        let (outcome, _) = try await run(.grant, rate: 200) { _ in
            ("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false)
        }
        #expect(outcome.completed == 100)
        #expect(outcome.statuses == ["grant 200": 100])
    }
}
