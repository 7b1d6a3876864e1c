import Foundation
import HTTPKit

/// The setup a run performs through the server itself: registers the `hwk` agents' keys (`POST /agents`) and gets
/// each agent an approved mission (a proposal inside the auto-approval rule, or, when the server defers it, an
/// admin approval through `POST /reviews/{id}/approve` followed by the agent's poll).
struct BenchSetup: Sendable {
    let factory: RequestFactory
    let host: String
    let port: Int
    /// Parallel setup connections.
    let parallelism = 16

    /// Registers and gives missions to `agents`; returns them with `missionS256` filled.
    ///
    /// Every key is registered before any agent signs: MissionCore's `AgentKeyCache` can keep a key set loaded
    /// before a registration committed (a load racing the invalidation), and would then refuse the new key as
    /// unregistered until the next change (reported; seen with registrations and proposals interleaved).
    func prepare(_ agents: [BenchAgent]) async throws -> [BenchAgent] {
        _ = try await forEach(agents) { client, agent in
            if agent.isHWK { try await register(agent, on: client) }
            return agent
        }
        return try await forEach(agents) { client, agent in
            var agent = agent
            agent.missionS256 = try await mission(for: agent, on: client)
            return agent
        }
    }

    /// Adds `count` granted token requests to each agent's trail (so audit pages have content).
    func prefillAudit(_ agents: [BenchAgent], count: Int) async throws {
        guard count > 0 else { return }
        _ = try await forEach(agents) { client, agent in
            for serial in 0..<count {
                let response = try await client.send(
                    try factory.token(agent: agent, scope: "read", serial: "prefill-\(serial)"))
                try expect(response, 200, "prefill token request")
            }
            return agent
        }
    }

    private func register(_ agent: BenchAgent, on client: HTTPClient) async throws {
        let body = "{\"name\":\"ma-bench \(factory.run) \(agent.agentID.suffix(12))\",\"jwk\":\(agent.jwk.jsonString)}"
        let response = try await client.send(factory.admin(.post, "/agents", body: body))
        guard response.status.code == 200 || response.status.code == 201 else {
            throw BenchError.setup("POST /agents answered \(describe(response))")
        }
    }

    private func mission(for agent: BenchAgent, on client: HTTPClient) async throws -> String {
        let proposed = try await client.send(
            try factory.proposal(agent: agent, resource: factory.resource, serial: "setup"))
        if proposed.status.code == 200 { return try s256(of: proposed) }
        try expect(proposed, 202, "POST /mission")
        guard let location = proposed.headers["Location"], let reviewID = location.split(separator: "/").last else {
            throw BenchError.setup("a 202 proposal without a Location")
        }
        let grants = "{\"grants\":[{\"resource\":\"\(factory.resource)\",\"scopes\":[\"read\",\"write\"]}]}"
        let approved = try await client.send(factory.admin(.post, "/reviews/\(reviewID)/approve", body: grants))
        try expect(approved, 200, "POST /reviews/{id}/approve")
        let polled = try await client.send(try factory.poll(agent: agent, location: location))
        try expect(polled, 200, "GET \(location) after approval")
        return try s256(of: polled)
    }

    /// The `s256` of an approval answer, markdown form (`mission.s256`) or blob form (`s256`).
    private func s256(of response: HTTPResponse) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        if let value = (object?["mission"] as? [String: Any])?["s256"] as? String { return value }
        if let value = object?["s256"] as? String { return value }
        throw BenchError.setup("an approval without s256: \(describe(response))")
    }

    private func expect(_ response: HTTPResponse, _ status: Int, _ what: String) throws {
        guard response.status.code == status else { throw BenchError.setup("\(what) answered \(describe(response))") }
    }

    private func describe(_ response: HTTPResponse) -> String {
        "\(response.status.code) \(String(decoding: response.body.prefix(300), as: UTF8.self))"
    }

    /// Runs `body` for every agent over `parallelism` connections, keeping the agents' order.
    private func forEach(
        _ agents: [BenchAgent], _ body: @escaping @Sendable (HTTPClient, BenchAgent) async throws -> BenchAgent
    ) async throws -> [BenchAgent] {
        let (host, port, parallelism) = (host, port, parallelism)
        return try await withThrowingTaskGroup(of: [(Int, BenchAgent)].self) { group in
            for lane in 0..<min(parallelism, agents.count) {
                group.addTask {
                    let client = HTTPClient(host: host, port: port)
                    var done: [(Int, BenchAgent)] = []
                    for index in stride(from: lane, to: agents.count, by: parallelism) {
                        done.append((index, try await body(client, agents[index])))
                    }
                    await client.close()
                    return done
                }
            }
            var result = agents
            for try await done in group {
                for (index, agent) in done { result[index] = agent }
            }
            return result
        }
    }
}
