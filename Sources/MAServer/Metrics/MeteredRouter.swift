import HTTPKit

/// The router as the server sees it: requests the router itself refuses (404 for an unknown path, 405 for a
/// known path with another method) never reach a route's handler, so they are counted here, under the route
/// label `unmatched`; matched requests are counted by their route (`Router.route(…)` in RouteContext.swift).
struct MeteredRouter: HTTPResponder {
    /// The route label of requests no route matched.
    static let unmatchedRoute = "unmatched"
    /// Method labels kept as sent; any other token is counted as `OTHER`, so a client inventing methods cannot
    /// grow the label set (a Prometheus series per distinct value).
    static let knownMethods: Set<String> = [
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE",
    ]

    let router: Router
    let metrics: MetricsRegistry

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        // Matching is a walk of a small trie; doing it once more for the unmatched case keeps HTTPKit's router
        // free of any metrics concern.
        guard case .found = router.match(method: request.method, path: request.path) else {
            let start = ContinuousClock.now
            let response = await router.respond(to: request)
            let elapsed = ContinuousClock.now - start
            let method = Self.knownMethods.contains(request.method.rawValue) ? request.method.rawValue : "OTHER"
            metrics.recordRequest(
                route: Self.unmatchedRoute, method: method, status: response.status.code,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            return response
        }
        return await router.respond(to: request)
    }
}
