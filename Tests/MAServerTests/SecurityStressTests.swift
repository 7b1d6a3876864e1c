import Foundation
import HTTPKit
@testable import MissionCore
import Testing

@testable import MAServer

/// Concurrency stress over real sockets, for the sanitizer runs (`swift test --sanitize=thread`):
/// 64 clients, each on its own connection with its own agent and mission, ask for tokens for
/// `MA_STRESS_SECONDS` seconds (2 in the quick set, 10 or more under the sanitizers).
@Suite("Security: concurrent token stress")
struct SecurityStressTests {
    static let clients = 64
    static var seconds: Double { Double(ProcessInfo.processInfo.environment["MA_STRESS_SECONDS"] ?? "") ?? 2 }

    @Test("64 concurrent socket clients asking for tokens: every answer a 200, every token audited, the chain verifies")
    func concurrentTokens() async throws {
        let ma = try await TestMA.make {
            $0.autoApproval = [
                .init(agent: "aauth:*@agent.example", grants: [.init(resource: TestMA.flights, scopes: ["search"])])
            ]
            $0.http.eventLoops = 2
        }
        try ma.app.start()
        let port = ma.app.port
        var agents: [(TestAgent, String)] = []
        for _ in 0..<Self.clients {
            let agent = try TestAgent.jwt(now: ma.now)
            let proposed = try await ma.send(
                agent, .post, "/mission", json: #"{"description":"Stress","resources":["https://flights.example"]}"#)
            agents.append((agent, try #require(try json(proposed)["s256"]?.stringValue)))
        }
        let deadline = ContinuousClock.now + .seconds(Self.seconds)
        let now = ma.now
        let results = try await withThrowingTaskGroup(of: [Int: Int].self) { group in
            for (agent, s256) in agents {
                group.addTask {
                    let client = HTTPClient(host: "127.0.0.1", port: port)
                    var statuses: [Int: Int] = [:]
                    let body = #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"search"}"#
                    while ContinuousClock.now < deadline {
                        let response = try await client.send(
                            try agent.request(.post, "/token", json: body, created: now))
                        statuses[response.status.code, default: 0] += 1
                    }
                    await client.close()
                    return statuses
                }
            }
            var total: [Int: Int] = [:]
            for try await statuses in group { total.merge(statuses, uniquingKeysWith: +) }
            return total
        }
        #expect(results.keys.sorted() == [200])
        let granted = try SecuritySupport.events(ma.app.authority).filter { $0.action == .accessGranted }.count
        #expect(granted == results[200] ?? -1)
        let verified = try await ma.app.authority.verifyAuditChain()
        if case .broken = verified { Issue.record("audit chain broken: \(verified)") }
        SecuritySupport.summary(
            "stress.tokens",
            ["clients": Self.clients, "seconds": Self.seconds, "tokens": results[200] ?? 0, "statuses": results])
        await ma.close()
    }
}
