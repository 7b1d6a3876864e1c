import HTTPKit

/// Builds the request of each kind: signed agent requests with unique bodies, or admin reads with the bearer key.
struct RequestFactory: Sendable {
    /// Where proposals outside every auto-approval rule point (so they are deferred).
    static let deferredResource = "https://deferred.bench.example"

    let authority: String
    let adminKey: String
    let resource: String
    /// Distinguishes this run's bodies from any earlier run's.
    let run: String

    /// The request of `kind` from `agent`; `serial` makes the body unique (a fresh signature every time).
    func make(_ kind: RequestKind, agent: BenchAgent, serial: String) throws -> HTTPRequest {
        switch kind {
        case .grant: return try token(agent: agent, scope: "read", serial: serial)
        case .deny: return try token(agent: agent, scope: "admin", serial: serial)
        case .proposeAuto: return try proposal(agent: agent, resource: resource, serial: serial)
        case .proposeDeferred: return try proposal(agent: agent, resource: Self.deferredResource, serial: serial)
        case .controlList: return admin(.get, "/missions?limit=50")
        case .controlAudit: return admin(.get, "/missions/\(agent.missionS256)/audit?limit=50")
        }
    }

    /// A token request (DESIGN §4): mission, resource, scope and a unique `justification`.
    func token(agent: BenchAgent, scope: String, serial: String) throws -> HTTPRequest {
        let body =
            "{\"mission_s256\":\"\(agent.missionS256)\",\"resource\":\"\(resource)\",\"scope\":\"\(scope)\","
            + "\"justification\":\"ma-bench \(run) \(serial)\"}"
        return try agent.sign(method: .post, target: "/token", authority: authority, body: Array(body.utf8))
    }

    /// A markdown-form proposal asking for `read` on `resource`.
    func proposal(agent: BenchAgent, resource: String, serial: String) throws -> HTTPRequest {
        let body =
            "{\"mission_proposal\":\"# ma-bench mission \(run) \(serial)\\n\\nRead the bench resource.\","
            + "\"resources\":[{\"resource\":\"\(resource)\",\"scopes\":[\"read\"]}]}"
        return try agent.sign(method: .post, target: "/mission", authority: authority, body: Array(body.utf8))
    }

    /// A poll of a pending URL (body-less, so the agent adds a nonce).
    func poll(agent: BenchAgent, location: String) throws -> HTTPRequest {
        try agent.sign(method: .get, target: location, authority: authority)
    }

    /// An admin API request with `Authorization: Bearer`.
    func admin(_ method: HTTPMethod, _ target: String, body: String? = nil) -> HTTPRequest {
        var headers: [(String, String)] = [("Host", authority), ("Authorization", "Bearer \(adminKey)")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return HTTPRequest(
            method: method, target: target, headers: HTTPHeaders(headers), body: Array((body ?? "").utf8))
    }
}
