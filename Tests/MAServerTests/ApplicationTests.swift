import Foundation
import HTTPKit
@testable import MissionCore
import Testing

@testable import MAServer

/// The Application on a real socket (port 0), spoken to with HTTPKit's client.
@Suite("Application on a socket")
struct ApplicationTests {
    @Test("start on port 0; metadata, a proposal and a token over real connections")
    func serves() async throws {
        try await TestMA.with(configure: {
            $0.autoApproval = [
                .init(agent: "aauth:*@agent.example", grants: [.init(resource: TestMA.flights, scopes: ["search"])])
            ]
        }) { ma in
            try ma.app.start()
            #expect(ma.app.port > 0)
            let client = HTTPClient(host: "127.0.0.1", port: ma.app.port)
            let metadata = try await client.get("/.well-known/aauth-person.json", headers: ["Host": TestMA.authority])
            #expect(metadata.status == .ok)
            let agent = try TestAgent.jwt(now: ma.now)
            let proposed = try await client.send(
                try agent.request(
                    .post, "/mission", json: #"{"description":"Fly","resources":["https://flights.example"]}"#,
                    created: ma.now))
            #expect(proposed.status == .ok)
            let s256 = try #require(try json(proposed)["s256"]?.stringValue)
            let token = try await client.send(
                try agent.request(
                    .post, "/token",
                    json: #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"search"}"#,
                    created: ma.now))
            #expect(token.status == .ok)
            #expect(try json(token)["auth_token"]?.stringValue?.split(separator: ".").count == 3)
            let foreign = try await client.send(
                try TestAgent.jwt(now: ma.now).request(.get, "/mission/\(s256)", created: ma.now))
            #expect(foreign.status == .notFound)
            await client.close()
        }
    }

    @Test(
        "over the socket, a long poll returns as soon as a reviewer approves from another connection",
        .timeLimit(.minutes(1)))
    func longPollOverSocket() async throws {
        try await TestMA.with(configure: { $0.reviews.maxWaitSeconds = 3600 }) { ma in
            try ma.app.start()
            let agent = try TestAgent.jwt(now: ma.now)
            let polling = HTTPClient(host: "127.0.0.1", port: ma.app.port)
            let pending = try await polling.send(
                try agent.request(.post, "/mission", json: #"{"description":"x"}"#, created: ma.now))
            let id = try ma.pendingID(pending)
            let poll = Task {
                try await polling.send(
                    try agent.request(.get, "/pending/\(id)", created: ma.now, headers: [("Prefer", "wait=3600")]))
            }
            while ma.app.authority.notifier.waiterCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
            let reviewer = HTTPClient(host: "127.0.0.1", port: ma.app.port)
            let approved = try await reviewer.post(
                "/reviews/\(id)/approve",
                headers: ["Host": TestMA.authority, "Authorization": "Bearer " + (ma.secrets[.reviewer] ?? "")],
                body: [])
            #expect(approved.status == .ok)
            #expect(try await poll.value.status == .ok)
            await polling.close()
            await reviewer.close()
        }
    }

    @Test(
        "shutdown releases a long poll at once: it answers 202 and the drain does not wait out the grace period",
        .timeLimit(.minutes(1)))
    func shutdownReleasesLongPolls() async throws {
        let ma = try await TestMA.make { $0.reviews.maxWaitSeconds = 3600 }
        try ma.app.start()
        let agent = try TestAgent.jwt(now: ma.now)
        let client = HTTPClient(host: "127.0.0.1", port: ma.app.port)
        let id = try ma.pendingID(
            try await client.send(try agent.request(.post, "/mission", json: #"{"description":"x"}"#, created: ma.now)))
        let poll = Task {
            try await client.send(
                try agent.request(.get, "/pending/\(id)", created: ma.now, headers: [("Prefer", "wait=3600")]))
        }
        while ma.app.authority.notifier.waiterCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
        await ma.app.shutdown(gracePeriod: .seconds(600))
        let response = try await poll.value
        #expect(response.status == .accepted)
        #expect(response.headers["Location"] == "/pending/\(id)")
        await client.close()
        try? FileManager.default.removeItem(atPath: ma.directory)
    }

    @Test("the access log names method, path and status, and never a token, signature or admin key")
    func accessLogHoldsNoSecrets() async throws {
        let log = CapturedLog()
        let ma = try await TestMA.make(logger: log.logger()) { configuration in
            configuration.log.accessLog = true
            configuration.log.level = "trace"
        }
        try ma.app.start()
        let client = HTTPClient(host: "127.0.0.1", port: ma.app.port)
        let agent = try TestAgent.jwt(now: ma.now)
        let s256 = try await ma.approvedMission(for: agent)
        let request = try agent.request(
            .post, "/token",
            json: #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"search"}"#,
            created: ma.now)
        let response = try await client.send(request)
        let token = try #require(try json(response)["auth_token"]?.stringValue)
        let secret = try #require(ma.secrets[.admin])
        _ = try await client.get("/missions", headers: ["Host": TestMA.authority, "Authorization": "Bearer " + secret])
        _ = try await client.get(
            "/missions", headers: ["Host": TestMA.authority, "Authorization": "Bearer ma_wrong_key"])
        await client.close()
        await ma.close()
        let lines = log.all
        #expect(lines.contains { $0.contains("POST /token 200") })
        #expect(lines.contains { $0.contains("GET /missions 401") })
        let signature = try #require(request.headers["Signature"])
        for secretText in [token, secret, "ma_wrong_key", signature, try #require(agent.agentToken), "Bearer"] {
            #expect(!lines.contains { $0.contains(secretText) })
        }
    }

    @Test("restart on the same data directory: missions, admin keys and signing keys persist")
    func restart() async throws {
        let clock = ManualTimeSource()
        let first = try await TestMA.make(clock: clock)
        let agent = try TestAgent.jwt(now: clock.now())
        let s256 = try await first.approvedMission(for: agent)
        let pending = try first.pendingID(
            try await first.send(agent, .post, "/mission", json: #"{"description":"later"}"#))
        let kid = first.app.authority.currentSigningKeyID
        let secret = try #require(first.secrets[.admin])
        try first.app.start()
        await first.close(removing: false)
        // Requests signed in the second of the previous process's last decision are refused after a
        // restart (replay bound, Docs/Protocol.md); this restart takes a second, as real ones do.
        clock.advance(by: 1)

        let second = try await TestMA.make(directory: first.directory, clock: clock)
        let read = try await second.send(agent, .get, "/mission/\(s256)")
        #expect(read.status == .ok)
        #expect(try json(read)["state"]?.stringValue == "active")
        #expect(second.app.authority.currentSigningKeyID == kid)
        #expect(await second.admin(.get, "/missions/\(s256)", secret: secret).status == .ok)
        #expect(await second.admin(.post, "/reviews/\(pending)/approve", secret: secret).status == .ok)
        let approved = try await second.send(agent, .get, "/pending/\(pending)")
        #expect(approved.status == .ok)
        let verified = try json(await second.admin(.get, "/audit/verify", secret: secret))
        #expect(verified["status"]?.stringValue == "ok")
        await second.close()
    }
    @Test(
        "development on port 0: after the bind, Host localhost/127.0.0.1 with the real port is accepted, another port not",
        arguments: ["127.0.0.1", "localhost"])
    func developmentAuthoritiesUseTheBoundPort(loopback: String) async throws {
        try await TestMA.with(configure: { $0.development = true }) { ma in
            #expect(!ma.app.agents.acceptedAuthorities.contains { $0.hasSuffix(":0") })
            try ma.app.start()
            let port = ma.app.port
            #expect(ma.app.agents.acceptedAuthorities.isSuperset(of: ["localhost:\(port)", "127.0.0.1:\(port)"]))
            let agent = try TestAgent.jwt(now: ma.now)
            let client = HTTPClient(host: "127.0.0.1", port: port)
            let accepted = try await client.send(
                try agent.request(
                    .post, "/mission", json: #"{"description":"x"}"#, host: "\(loopback):\(port)",
                    created: ma.now))
            #expect(accepted.status == .accepted)
            let otherPort = port == 65535 ? port - 1 : port + 1
            let refused = try await client.send(
                try agent.request(
                    .post, "/mission", json: #"{"description":"x"}"#, host: "\(loopback):\(otherPort)",
                    created: ma.now))
            #expect(refused.status == .unauthorized)
            #expect(refused.headers["Signature-Error"]?.contains("invalid_signature") == true)
            await client.close()
        }
    }
}
