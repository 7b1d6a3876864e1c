import Foundation
import HTTPKit
import MissionCore

/// The admin API (DESIGN §4, the mission control plane): `Authorization: Bearer <key>` on every
/// route, each route needing one permission of MissionCore's role table. Every action is audited
/// by the facade under the key's name.
struct ControlRoutes {
    let context: RouteContext
    /// The listing's per-mission bytes, shared by every copy of these routes (one per `register`).
    let missionBodies = EncodedMissionMemo()

    func register(on router: inout Router) {
        add(&router, .get, "/missions", .mission, .read) { request, _, _ in try listMissions(request) }
        add(&router, .get, "/missions/:s256", .mission, .read) { request, parameters, _ in
            try noQuery(request)
            let detail = try context.authority.missionDetail(s256: try parameters.require("s256"))
            return JSONResponse.make(
                .object([
                    "mission": Representation.mission(detail.mission, at: context.time.now()),
                    "recent_events": .array(detail.recentEvents.map(Representation.auditEvent)),
                ]))
        }
        add(&router, .get, "/missions/:s256/audit", .mission, .read) { request, parameters, _ in
            let query = try Query(request, allowed: ["cursor", "limit"])
            let page = try context.authority.audit(
                mission: try parameters.require("s256"), cursor: query["cursor"], limit: try query.limit())
            return self.page(page.items.map(Representation.auditEvent), key: "events", next: page.nextCursor)
        }
        for action in ["suspend", "resume", "revoke", "complete"] {
            add(&router, .post, "/missions/:s256/\(action)", .mission, .manageMissions) { request, parameters, admin in
                try await lifecycle(action, request, s256: try parameters.require("s256"), admin: admin)
            }
        }
        add(&router, .get, "/missions/:s256/delegation-tree", .mission, .read) { request, parameters, _ in
            try noQuery(request)
            let tree = try context.authority.delegationTree(s256: try parameters.require("s256"))
            return JSONResponse.make(Representation.delegationTree(tree))
        }
        add(&router, .post, "/missions/:s256/events", .mission, .postBusinessEvents) { request, parameters, admin in
            let body = try JSONBody(request.body, allowed: ["type", "source", "reference", "action"])
            let mission = try await context.authority.recordBusinessEvent(
                s256: try parameters.require("s256"), type: try body.string("type"), source: try body.string("source"),
                reference: try body.string("reference"),
                action: try BusinessEventAction(parsing: try body.optionalString("action") ?? "note"), by: admin)
            return JSONResponse.make(Representation.mission(mission, at: context.time.now()))
        }
        add(&router, .get, "/reviews", .review, .read) { request, _, _ in
            let query = try Query(request, allowed: ["status", "cursor", "limit"])
            var state: ReviewState?
            if let status = query["status"] {
                guard let parsed = ReviewState(rawValue: status) else {
                    throw RouteError.invalidRequest(
                        "status: one of " + ReviewState.allCases.map(\.rawValue).joined(separator: ", "))
                }
                state = parsed
            }
            let reviews = try context.authority.reviews(state: state, cursor: query["cursor"], limit: try query.limit())
            let now = context.time.now()
            return page(
                reviews.items.map { Representation.review($0, at: now) }, key: "reviews", next: reviews.nextCursor)
        }
        add(&router, .get, "/reviews/:id", .review, .read) { request, parameters, _ in
            try noQuery(request)
            let review = try context.authority.review(id: try parameters.require("id"))
            return JSONResponse.make(Representation.review(review, at: context.time.now()))
        }
        add(&router, .post, "/reviews/:id/approve", .review, .decideReviews) { request, parameters, admin in
            try await approve(request, reviewID: try parameters.require("id"), admin: admin)
        }
        add(&router, .post, "/reviews/:id/deny", .review, .decideReviews) { request, parameters, admin in
            let body = try optionalBody(request, allowed: ["reason"])
            let review = try await context.authority.deny(
                reviewID: try parameters.require("id"), reason: try body?.optionalString("reason"), by: admin)
            return JSONResponse.make(Representation.review(review, at: context.time.now()))
        }
        add(&router, .post, "/reviews/:id/clarify", .review, .decideReviews) { request, parameters, admin in
            let body = try JSONBody(request.body, allowed: ["question"])
            let review = try await context.authority.clarify(
                reviewID: try parameters.require("id"), question: try body.string("question"), by: admin)
            return JSONResponse.make(Representation.review(review, at: context.time.now()))
        }
        add(&router, .get, "/agents", .key, .read) { request, _, _ in
            try noQuery(request)
            return JSONResponse.make(
                .object(["agents": .array(try context.authority.listAgentKeys().map(Representation.agentKey))]))
        }
        add(&router, .post, "/agents", .key, .manageAgents) { request, _, admin in
            let body = try JSONBody(request.body, allowed: ["name", "jwk"])
            let jwk: String
            switch body.members["jwk"] {
            case .string(let text)?: jwk = text
            case .object(let members)?:
                guard let text = try? CanonicalJSON.string(.object(members)) else {
                    throw RouteError.invalidRequest("jwk: not a valid JWK")
                }
                jwk = text
            default: throw RouteError.invalidRequest("jwk: required, a JWK object")
            }
            let key = try await context.authority.registerAgentKey(name: try body.string("name"), jwk: jwk, by: admin)
            return JSONResponse.make(Representation.agentKey(key), status: .created)
        }
        add(&router, .delete, "/agents/:thumbprint", .key, .manageAgents) { _, parameters, admin in
            try await context.authority.removeAgentKey(thumbprint: try parameters.require("thumbprint"), by: admin)
            return HTTPResponse(status: .noContent)
        }
        add(&router, .get, "/audit", .mission, .read) { request, _, _ in
            let query = try Query(request, allowed: ["after", "limit"])
            var after: Int64 = 0
            if let text = query["after"] {
                guard let value = Int64(text), value >= 0 else {
                    throw RouteError.invalidRequest("after: a sequence number")
                }
                after = value
            }
            let events = try context.authority.audit(after: after, limit: try query.limit(default: 100))
            var members: [String: WireJSON] = ["events": .array(events.map(Representation.auditEvent))]
            if let last = events.last { members["next_after"] = .integer(last.sequence) }
            return JSONResponse.make(.object(members))
        }
        add(&router, .get, "/audit/verify", .mission, .read) { request, _, _ in
            try noQuery(request)
            let head = try context.authority.auditHead()
            switch try await context.authority.verifyAuditChain() {
            case .ok(let count):
                return JSONResponse.make(
                    .object([
                        "status": .string("ok"), "count": .integer(Int64(count)), "head_seq": .integer(head.sequence),
                        "head_hash": .string(Base64URL.encode(head.hash)),
                    ]))
            case .broken(let sequence, let reason):
                context.logger.critical(
                    "audit chain broken", metadata: ["seq": "\(sequence)", "reason": "\(reason.rawValue)"])
                return JSONResponse.make(
                    .object([
                        "status": .string("broken"), "broken_at_seq": .integer(sequence),
                        "reason": .string(reason.rawValue),
                    ]), status: .conflict)
            }
        }
    }

    // MARK: Handlers

    private func listMissions(_ request: HTTPRequest) throws -> HTTPResponse {
        let query = try Query(request, allowed: ["state", "agent", "since", "until", "limit", "cursor"])
        var filter = MissionFilter()
        if let state = query["state"] {
            guard let parsed = MissionState(rawValue: state) else {
                throw RouteError.invalidRequest(
                    "state: one of " + MissionState.allCases.map(\.rawValue).joined(separator: ", "))
            }
            filter.state = parsed
        }
        filter.agent = query["agent"]
        filter.createdFrom = try query.date("since")
        filter.createdUntil = try query.date("until")
        let missions = try context.authority.missions(filter: filter, cursor: query["cursor"], limit: try query.limit())
        return JSONResponse.missionPage(missions, at: context.time.now(), memo: missionBodies)
    }

    private func lifecycle(_ action: String, _ request: HTTPRequest, s256: String, admin: AdminPrincipal) async throws
        -> HTTPResponse
    {
        let reason = try optionalBody(request, allowed: ["reason"])?.optionalString("reason")
        let authority = context.authority
        let mission: Mission =
            switch action {
            case "suspend": try await authority.suspend(s256: s256, reason: reason, by: admin)
            case "resume": try await authority.resume(s256: s256, reason: reason, by: admin)
            case "revoke": try await authority.revoke(s256: s256, reason: reason, by: admin)
            default: try await authority.complete(s256: s256, reason: reason, by: admin)
            }
        return JSONResponse.make(Representation.mission(mission, at: context.time.now()))
    }

    /// Approve: for a proposal, optional edited `text`, the envelope (`grants`, `review`,
    /// `max_token_lifetime`) and `expires_in`; for an access request, `mode` `once` or `amend`
    /// (amend adds `grants`, by default exactly what was asked for).
    private func approve(_ request: HTTPRequest, reviewID: String, admin: AdminPrincipal) async throws -> HTTPResponse {
        let body =
            try optionalBody(
                request, allowed: ["text", "grants", "review", "expires_in", "max_token_lifetime", "mode"])
        let decision: ReviewDecision
        switch try context.authority.review(id: reviewID).subject {
        case .proposal:
            if body?.has("mode") == true { throw RouteError.invalidRequest("mode: only for access requests") }
            let envelope: AccessEnvelope
            do {
                envelope = try AccessEnvelope(
                    grants: try body?.optionalGrants("grants") ?? [], review: try body?.optionalGrants("review") ?? [],
                    maxTokenLifetime: try body?.optionalInt("max_token_lifetime")
                        ?? context.authority.settings.defaultTokenLifetime)
            } catch let error as MissionError { throw ErrorMapping.requestError(error) }
            decision = .approveProposal(
                editedText: try body?.optionalString("text"), envelope: envelope,
                expiresIn: try body?.optionalInt("expires_in"))
        case .accessRequest(_, let asked, _):
            for member in ["text", "review", "expires_in", "max_token_lifetime"] where body?.has(member) == true {
                throw RouteError.invalidRequest("\(member): only for proposals")
            }
            switch try body?.optionalString("mode") ?? "once" {
            case "once":
                if body?.has("grants") == true { throw RouteError.invalidRequest("grants: only with mode amend") }
                decision = .allowOnce
            case "amend":
                let grants: [AccessGrant]
                if let given = try body?.optionalGrants("grants") {
                    grants = given
                } else {
                    do { grants = [try AccessGrant(resource: asked.resource.description, scopes: asked.scopes)] } catch
                    {
                        throw ErrorMapping.requestError(error)
                    }
                }
                decision = .allowAndAmend(grants: grants)
            default:
                throw RouteError.invalidRequest("mode: once or amend")
            }
        }
        let review = try await context.authority.approve(reviewID: reviewID, decision: decision, by: admin)
        return JSONResponse.make(Representation.review(review, at: context.time.now()))
    }

    // MARK: Shared steps

    /// Registers an admin route: bearer authentication and `permission` first, then `handler`.
    private func add(
        _ router: inout Router, _ method: HTTPMethod, _ pattern: String, _ subject: ErrorMapping.Subject,
        _ permission: AdminPermission,
        _ handler: @escaping @Sendable (HTTPRequest, RouteParameters, AdminPrincipal) async throws -> HTTPResponse
    ) {
        let admins = context.admins
        router.route(method, pattern, subject: subject, context: context) { request, parameters in
            let admin = try admins.authenticate(request, for: permission)
            return try await handler(request, parameters, admin)
        }
    }

    private func page(_ items: [WireJSON], key: String, next: String?) -> HTTPResponse {
        var members: [String: WireJSON] = [key: .array(items)]
        if let next { members["next_cursor"] = .string(next) }
        return JSONResponse.make(.object(members))
    }

    /// A body that may be empty (no members given) or a strict JSON object.
    private func optionalBody(_ request: HTTPRequest, allowed: Set<String>) throws(RouteError) -> JSONBody? {
        request.body.isEmpty ? nil : try JSONBody(request.body, allowed: allowed)
    }

    private func noQuery(_ request: HTTPRequest) throws(RouteError) {
        _ = try Query(request, allowed: [])
    }
}

/// An admin route's query string, strictly: only the listed names, each at most once.
struct Query: Sendable {
    private let values: [String: String]

    init(_ request: HTTPRequest, allowed: Set<String>) throws(RouteError) {
        var values: [String: String] = [:]
        for item in request.queryItems {
            guard allowed.contains(item.name) else { throw .invalidRequest("unknown query parameter \"\(item.name)\"") }
            guard values[item.name] == nil else { throw .invalidRequest("query parameter \"\(item.name)\" repeated") }
            values[item.name] = item.value
        }
        self.values = values
    }

    subscript(name: String) -> String? { values[name] }

    /// `limit`: 1…500 (default 50).
    func limit(default fallback: Int = 50) throws(RouteError) -> Int {
        guard let text = values["limit"] else { return fallback }
        guard let value = Int(text), (1...500).contains(value) else { throw .invalidRequest("limit: 1…500") }
        return value
    }

    /// An RFC 3339 time (`2026-11-29T13:00:00Z`, fractional seconds allowed).
    func date(_ name: String) throws(RouteError) -> Date? {
        guard let text = values[name] else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: text) else { throw .invalidRequest("\(name): an RFC 3339 time") }
        return date
    }
}
