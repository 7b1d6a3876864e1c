import HTTPKit
import MissionCore

/// Unauthenticated routes: the PS metadata document (wire notes §5.2), the signing keys, health
/// and Prometheus metrics.
struct PublicRoutes {
    let context: RouteContext

    /// How long clients may cache the JWKS: short, so a rotation is seen within minutes.
    static let jwksMaxAge = 300

    func register(on router: inout Router) {
        router.route(
            .get, "/.well-known/aauth-person.json", subject: .mission, context: context
        ) { _, _ in
            JSONResponse.make(metadata(), cacheControl: "public, max-age=3600")
        }
        router.route(.get, "/.well-known/jwks.json", subject: .mission, context: context) { _, _ in
            JSONResponse.make(context.authority.jwks().jsonValue, cacheControl: "public, max-age=\(Self.jwksMaxAge)")
        }
        router.route(.get, "/healthz", subject: .mission, context: context) { _, _ in
            // A read on a pooled connection: proves the database answers.
            do { _ = try context.authority.auditHead() } catch { throw RouteError.unhealthy }
            return JSONResponse.make(.object(["status": .string("ok")]))
        }
        router.route(.get, "/metrics", subject: .mission, context: context) { _, _ in
            let text = context.metrics.render(gauges: [
                (name: "ma_pending_reviews", help: "Reviews waiting for a decision.", value: pendingReviews())
            ])
            return HTTPResponse(
                status: .ok,
                headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store"],
                body: Array(text.utf8))
        }
    }

    /// The PS metadata (wire notes §5.2). `mission_endpoint` signals mission support; `aauth_profile`
    /// says which drafts this MA follows (partial conformance: no person tokens or interaction).
    func metadata() -> WireJSON {
        let base = context.issuer.hasSuffix("/") ? String(context.issuer.dropLast()) : context.issuer
        return .object([
            "issuer": .string(context.issuer),
            "jwks_uri": .string(base + "/.well-known/jwks.json"),
            "auth_token_endpoint": .string(base + "/token"),
            "mission_endpoint": .string(base + "/mission"),
            "mission_control_endpoint": .string(base + "/missions"),
            "mission_supported": .bool(true),
            "accept_signature_algs": Representation.strings(AgentAuthenticator.acceptedAlgorithms),
            "aauth_profile": .string(
                "mission-authority; draft-hardt-aauth-mission lifecycle; partial: no person tokens, no interaction"),
        ])
    }

    /// Pending reviews, counted a page at a time (at most 10,000, enough for a gauge).
    private func pendingReviews() -> Int {
        var count = 0
        var cursor: String?
        for _ in 0..<20 {
            guard let page = try? context.authority.reviews(state: .pending, cursor: cursor, limit: 500) else {
                return count
            }
            count += page.items.count
            guard let next = page.nextCursor else { break }
            cursor = next
        }
        return count
    }
}
