import HTTPKit
import Logging
import MissionCore

/// What every route struct needs: the facade, the authenticators, metrics, the clock and logger.
/// Built once by `Application`; route-level tests build the very same one.
struct RouteContext: Sendable {
    let authority: MissionAuthority
    let agents: AgentAuthenticator
    let resourceTokens: ResourceTokenVerifier
    let admins: AdminAuthenticator
    let metrics: MetricsRegistry
    let time: any TimeSource
    let logger: Logger
    /// The metadata document's base URL.
    let issuer: String
    /// Upper bound for `Prefer: wait=N` (seconds).
    let maxWaitSeconds: Int
    /// Fired at shutdown: long polls stop waiting.
    let drain: DrainSignal

    /// `Prefer: wait=N` clamped to `maxWaitSeconds`; 0 when absent (RFC 7240 §4.3).
    func waitSeconds(_ request: HTTPRequest) -> Int {
        guard let value = request.headers.combinedValue(for: "Prefer"), let wait = PreferHeader(parsing: value).wait
        else { return 0 }
        return min(max(wait, 0), maxWaitSeconds)
    }
}

extension Router {
    /// Registers `handler` with what every route shares: thrown errors become responses through
    /// `ErrorMapping` (with `subject` naming what a 404 means), `Cache-Control` is set when the
    /// handler did not set it, and the request is counted and timed under its pattern.
    mutating func route(
        _ method: HTTPMethod, _ pattern: String, subject: ErrorMapping.Subject, context: RouteContext,
        cacheControl: String = "no-store",
        _ handler: @escaping @Sendable (HTTPRequest, RouteParameters) async throws -> HTTPResponse
    ) {
        let metrics = context.metrics
        let logger = context.logger
        on(method, pattern) { request, parameters in
            let start = ContinuousClock.now
            var response: HTTPResponse
            do {
                response = try await handler(request, parameters)
            } catch {
                response = ErrorMapping.response(for: error, subject: subject, logger: logger)
            }
            if !response.headers.contains("Cache-Control") {
                response.headers.add(name: "Cache-Control", value: cacheControl)
            }
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            metrics.recordRequest(
                route: pattern, method: method.rawValue, status: response.status.code, seconds: seconds)
            return response
        }
    }
}
