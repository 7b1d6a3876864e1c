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
    /// `created` (default: now) is fixed only by the load client's self-check.
    func make(_ kind: RequestKind, agent: BenchAgent, serial: String, created: Int64? = nil) throws -> HTTPRequest {
        switch kind {
        case .grant: return try token(agent: agent, scope: "read", serial: serial, created: created)
        case .deny: return try token(agent: agent, scope: "admin", serial: serial, created: created)
        case .proposeAuto: return try proposal(agent: agent, resource: resource, serial: serial, created: created)
        case .proposeDeferred:
            return try proposal(agent: agent, resource: Self.deferredResource, serial: serial, created: created)
        case .controlList: return controlList()
        case .controlAudit: return controlAudit(agent: agent)
        }
    }

    /// `GET /missions?limit=50` with the admin key.
    func controlList() -> HTTPRequest { admin(.get, "/missions?limit=50") }

    /// A page of `agent`'s mission's audit trail with the admin key.
    func controlAudit(agent: BenchAgent) -> HTTPRequest { admin(.get, "/missions/\(agent.missionS256)/audit?limit=50") }

    /// A token request (DESIGN §4): mission, resource, scope and a unique `justification`.
    func token(agent: BenchAgent, scope: String, serial: String, created: Int64? = nil) throws -> HTTPRequest {
        let parts = tokenBody(agent: agent, scope: scope)
        return try agent.sign(
            method: .post, target: "/token", authority: authority,
            body: Array((parts.prefix + serial + parts.suffix).utf8), created: created)
    }

    /// A token request's body around its serial (the load client fills the serial in as bytes).
    func tokenBody(agent: BenchAgent, scope: String) -> (prefix: String, suffix: String) {
        (
            "{\"mission_s256\":\"\(agent.missionS256)\",\"resource\":\"\(resource)\",\"scope\":\"\(scope)\","
                + "\"justification\":\"ma-bench \(run) ", "\"}"
        )
    }

    /// A markdown-form proposal asking for `read` on `resource`.
    func proposal(agent: BenchAgent, resource: String, serial: String, created: Int64? = nil) throws -> HTTPRequest {
        let parts = proposalBody(resource: resource)
        return try agent.sign(
            method: .post, target: "/mission", authority: authority,
            body: Array((parts.prefix + serial + parts.suffix).utf8), created: created)
    }

    /// A proposal's body around its serial.
    func proposalBody(resource: String) -> (prefix: String, suffix: String) {
        (
            "{\"mission_proposal\":\"# ma-bench mission \(run) ",
            "\\n\\nRead the bench resource.\",\"resources\":[{\"resource\":\"\(resource)\",\"scopes\":[\"read\"]}]}"
        )
    }

    /// A poll of a pending URL (body-less, so the agent adds a nonce).
    func poll(agent: BenchAgent, location: String, created: Int64? = nil, nonce: String? = nil) throws -> HTTPRequest {
        try agent.sign(method: .get, target: location, authority: authority, created: created, nonce: nonce)
    }

    /// An admin API request with `Authorization: Bearer`.
    func admin(_ method: HTTPMethod, _ target: String, body: String? = nil) -> HTTPRequest {
        var headers: [(String, String)] = [("Host", authority), ("Authorization", "Bearer \(adminKey)")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return HTTPRequest(
            method: method, target: target, headers: HTTPHeaders(headers), body: Array((body ?? "").utf8))
    }
}
