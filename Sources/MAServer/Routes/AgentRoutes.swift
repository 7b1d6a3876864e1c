import HTTPKit
import MissionCore

/// The agent-facing routes (DESIGN §4): every request is signed and authenticated by
/// `AgentAuthenticator` before its body is read. Decode → MissionCore → encode; refusals become
/// responses in `ErrorMapping`.
struct AgentRoutes {
    let context: RouteContext

    /// Members of a mission proposal, either form (DESIGN §3.2), plus `capabilities`: the domain's
    /// list. `MissionProposal.decode` itself refuses any other member (400 `invalid_request` naming
    /// it), so the proposal routes do not check members first.
    static let proposalMembers = MissionProposal.memberNames
    /// Members of a token request (DESIGN §4, wire notes §7).
    static let tokenMembers: Set<String> = [
        "mission_s256", "resource", "scope", "justification", "resource_token", "capabilities",
    ]
    /// What `POST /token` accepts: a token request or (seed draft) a proposal. Built once, not per request.
    static let tokenEndpointMembers = tokenMembers.union(proposalMembers)

    func register(on router: inout Router) {
        router.route(.post, "/mission", subject: .agentMission, context: context) { request, _ in
            try await propose(request)
        }
        router.route(.get, "/mission/:s256", subject: .agentMission, context: context) { request, parameters in
            try await readMission(request, s256: parameters.require("s256"))
        }
        router.route(.post, "/mission/:s256", subject: .agentMission, context: context) { request, parameters in
            try await changeMission(request, s256: parameters.require("s256"))
        }
        router.route(.post, "/token", subject: .agentMission, context: context) { request, _ in
            try await token(request)
        }
        router.route(.get, "/pending/:id", subject: .pending, context: context) { request, parameters in
            try await poll(request, reviewID: parameters.require("id"))
        }
        router.route(.post, "/pending/:id", subject: .pending, context: context) { request, parameters in
            try await respondToPending(request, reviewID: parameters.require("id"))
        }
        router.route(.delete, "/pending/:id", subject: .pending, context: context) { request, parameters in
            try await cancel(request, reviewID: parameters.require("id"))
        }
    }

    // MARK: Handlers

    func propose(_ request: HTTPRequest) async throws -> HTTPResponse {
        let (_, agent) = try await authenticate(request)
        return try await propose(request, agent: agent)
    }

    /// Wire notes §4.3: "no such mission" and "another agent's mission" must not differ in status,
    /// body, headers or timing. Up to the ownership check this handler does the same steps for both
    /// (authenticate, check the path segment's shape, which depends only on the text sent), then
    /// hands the lookup and the owner comparison to one MissionCore call (`mission(s256:agent:)`:
    /// one lookup, then a constant-time comparison of the owner, with no return between them), and
    /// both refusals leave it as the same `notFound`, mapped by one function to byte-identical 404s
    /// with nothing logged and the same metrics labels.
    func readMission(_ request: HTTPRequest, s256: String) async throws -> HTTPResponse {
        let (_, agent) = try await authenticate(request)
        try Self.requireS256(s256)
        let mission = try await context.authority.mission(s256: s256, agent: agent)
        return JSONResponse.make(Representation.mission(mission, at: context.time.now()))
    }

    func changeMission(_ request: HTTPRequest, s256: String) async throws -> HTTPResponse {
        let (_, agent) = try await authenticate(request)
        try Self.requireS256(s256)
        let body = try JSONBody(request.body, allowed: ["action", "summary", "description"])
        switch try body.action(oneOf: ["complete", "update"]) {
        case "complete":
            guard !body.has("description") else { throw RouteError.invalidRequest("description: only with update") }
            let mission = try await context.authority.complete(
                s256: s256, agent: agent, summary: try body.optionalString("summary"))
            return JSONResponse.make(Representation.mission(mission, at: context.time.now()))
        default:
            guard !body.has("summary") else { throw RouteError.invalidRequest("summary: only with complete") }
            let update = try await context.authority.update(
                s256: s256, agent: agent, description: try body.string("description"))
            return JSONResponse.make(.object(["s256": .string(s256), "update": Representation.update(update)]))
        }
    }

    func token(_ request: HTTPRequest) async throws -> HTTPResponse {
        // Nearly every token request ends in an audited decision: announced before the signature
        // check, it lets a commit about to run wait for it (MissionAuthority.anticipatingDecision).
        try await context.authority.anticipatingDecision { try await tokenResponse(request) }
    }

    private func tokenResponse(_ request: HTTPRequest) async throws -> HTTPResponse {
        let (authenticated, agent) = try await authenticate(request)
        let body = try JSONBody(request.body, allowed: Self.tokenEndpointMembers)
        // The seed draft proposes at the token endpoint too (DESIGN §4).
        if body.has("mission_proposal") {
            // Token members next to a proposal are refused by the proposal decoder, by name.
            return try await propose(request, agent: agent)
        }
        if let stray = body.firstMember(outside: Self.tokenMembers) {
            throw RouteError.invalidRequest("unknown member \"\(stray)\"")
        }
        let justification = try body.optionalString("justification")
        var missionS256 = try body.optionalString("mission_s256")
        let resource: String
        let scopes: [String]
        if let resourceToken = try body.optionalString("resource_token") {
            guard !body.has("resource"), !body.has("scope") else {
                throw RouteError.invalidRequest("resource_token replaces resource and scope")
            }
            let verified: VerifiedResourceToken
            switch await context.resourceTokens.verify(resourceToken, agentThumbprint: authenticated.thumbprint) {
            case .success(let token): verified = token
            case .failure(let error): throw RouteError.resourceToken(error)
            }
            if let bound = verified.missionS256 {
                if let missionS256, missionS256 != bound {
                    throw RouteError.invalidRequest("mission_s256 differs from the resource token's")
                }
                missionS256 = bound
            }
            guard !verified.scopes.isEmpty else { throw RouteError.invalidRequest("the resource token names no scope") }
            resource = verified.resourceOrigin
            scopes = verified.scopes
        } else {
            resource = try body.string("resource")
            scopes = try Self.scopes(try body.string("scope"))
        }
        guard let missionS256 else { throw RouteError.invalidRequest("mission_s256: required") }
        guard Self.isS256(missionS256) else { throw RouteError.invalidRequest("mission_s256: 43 base64url characters") }
        // Wire notes §4.3 (see `readMission`): everything above depends only on what the agent sent,
        // never on whether the mission exists or whose it is; `requestAccess` looks the mission up
        // and compares the owner before anything else reads it, and a missing or foreign mission
        // leaves as the same `notFound`, which `recordRefusal` does not count and ErrorMapping
        // answers with the same 404.
        let outcome: AccessOutcome
        do {
            outcome = try await context.authority.requestAccess(
                agent: agent, missionS256: missionS256, resource: resource, scopes: scopes,
                justification: justification)
        } catch {
            recordRefusal(error)
            throw error
        }
        switch outcome {
        case .granted(let token):
            context.metrics.recordDecision("granted")
            return JSONResponse.make(encoded: Representation.issuedTokenBody(token))
        case .deferred(let review, let retryAfter):
            context.metrics.recordDecision("deferred")
            return try await hold(request, reviewID: review.id, retryAfter: retryAfter, agent: agent)
        }
    }

    func poll(_ request: HTTPRequest, reviewID: String) async throws -> HTTPResponse {
        let (_, agent) = try await authenticate(request)
        let outcome = try await context.authority.poll(reviewID: reviewID, agent: agent)
        return try await waitIfPending(outcome, request: request, reviewID: reviewID, agent: agent)
    }

    func respondToPending(_ request: HTTPRequest, reviewID: String) async throws -> HTTPResponse {
        let (_, agent) = try await authenticate(request)
        let body = try JSONBody(request.body, allowed: ["action", "clarification_response"])
        _ = try body.action(oneOf: ["clarification_response"])
        let review = try await context.authority.answerClarification(
            reviewID: reviewID, agent: agent, answer: try body.string("clarification_response"))
        // Wire notes D1: answered like a poll that finds the request still pending.
        return DeferredResponse.pending(
            reviewID: review.id, retryAfter: context.authority.settings.pollInterval, question: review.openQuestion)
    }

    func cancel(_ request: HTTPRequest, reviewID: String) async throws -> HTTPResponse {
        let (_, agent) = try await authenticate(request)
        try await context.authority.cancel(reviewID: reviewID, agent: agent)
        return HTTPResponse(status: .noContent)
    }

    // MARK: Shared steps

    /// The signature check every agent route starts with; a failure is 401 + `Signature-Error`.
    func authenticate(_ request: HTTPRequest) async throws -> (AuthenticatedAgent, AgentPrincipal) {
        switch await context.agents.authenticate(request) {
        case .success(let agent): return (agent, AgentPrincipal(id: agent.agentID, publicKey: agent.publicKey))
        case .failure(let failure): throw RouteError.signature(failure)
        }
    }

    private func propose(_ request: HTTPRequest, agent: AgentPrincipal) async throws -> HTTPResponse {
        let proposal: MissionProposal
        do { proposal = try MissionProposal.decode(request.body) } catch { throw ErrorMapping.requestError(error) }
        switch try await context.authority.propose(agent: agent, proposal: proposal) {
        case .approved(let mission):
            context.metrics.recordDecision("approved")
            return JSONResponse.make(Representation.approval(mission))
        case .pending(let review, let retryAfter):
            context.metrics.recordDecision("pending")
            return try await hold(request, reviewID: review.id, retryAfter: retryAfter, agent: agent)
        }
    }

    /// A fresh deferral: 202 at once, or, with `Prefer: wait=N`, the decision if one comes within N s.
    private func hold(
        _ request: HTTPRequest, reviewID: String, retryAfter: Int, agent: AgentPrincipal
    ) async throws -> HTTPResponse {
        try await waitIfPending(
            .pending(retryAfter: retryAfter, openQuestion: nil), request: request, reviewID: reviewID, agent: agent,
            polled: false)
    }

    /// Long polling: while pending and the agent asked to wait, suspend (no thread held) until the
    /// review changes or the wait ends, then poll once more and answer that.
    private func waitIfPending(
        _ outcome: ReviewPollOutcome, request: HTTPRequest, reviewID: String, agent: AgentPrincipal,
        polled: Bool = true
    ) async throws -> HTTPResponse {
        let wait = context.waitSeconds(request)
        guard case .pending(_, let question) = outcome, wait > 0 else { return answer(outcome, reviewID: reviewID) }
        let authority = context.authority
        let drain = context.drain
        // Whichever comes first: a change to the review, the end of the wait, or shutdown.
        await withTaskGroup(of: Void.self) { group in
            // The facade re-reads the review after marking the wait, so a decision that landed
            // since the poll above ends the wait at once.
            group.addTask {
                _ = await authority.waitForChange(reviewID: reviewID, whilePending: question, timeout: .seconds(wait))
            }
            group.addTask { await drain.wait() }
            await group.next()
            group.cancelAll()
        }
        var next = try await context.authority.poll(reviewID: reviewID, agent: agent)
        if case .slowDown(let retryAfter) = next, polled {
            // Woken by a question sooner than the poll interval: the hold itself is not the
            // agent polling too fast, so answer the state as it stands.
            next = .pending(
                retryAfter: retryAfter, openQuestion: try context.authority.review(id: reviewID).openQuestion)
        }
        var response = answer(next, reviewID: reviewID)
        // RFC 7240 §3: say that the wait preference was honoured, and with which value.
        response.headers.add(name: "Preference-Applied", value: "wait=\(wait)")
        return response
    }

    private func answer(_ outcome: ReviewPollOutcome, reviewID: String) -> HTTPResponse {
        if let label = DeferredResponse.outcomeLabel(outcome) { context.metrics.recordDecision(label) }
        return DeferredResponse.answer(outcome, reviewID: reviewID)
    }

    private func recordRefusal(_ error: any Error) {
        switch error as? AuthorityError {
        case .denied?: context.metrics.recordDecision("denied")
        case .suspended?, .terminated?: context.metrics.recordDecision("refused")
        case .auditUnavailable?: context.metrics.recordDecision("unrecorded")
        default: break
        }
    }

    // MARK: Parsing

    /// RFC 6749 §3.3: `scope-token *( SP scope-token )`; empty tokens (double spaces) are refused.
    static func scopes(_ text: String) throws(RouteError) -> [String] {
        let tokens = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard !tokens.isEmpty, !tokens.contains(where: \.isEmpty) else {
            throw .invalidRequest("scope: space-separated scope tokens")
        }
        return tokens
    }

    /// A mission `s256`: unpadded base64url of 32 bytes, exactly 43 characters (wire notes §4.3).
    static func isS256(_ text: String) -> Bool {
        text.utf8.count == 43
            && text.utf8.allSatisfy { byte in
                (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                    || byte == 0x2D || byte == 0x5F
            } && Base64URL.decode(text)?.count == 32
    }

    static func requireS256(_ text: String) throws(RouteError) {
        guard isS256(text) else { throw .invalidRequest("mission_s256: 43 base64url characters") }
    }
}
