import Foundation
import HTTPKit
import Logging
import MissionCore

/// The whole MA: database and signing keys, the MissionAuthority facade, agent and admin
/// authentication, every route, the HTTP server and the expiry sweeps. `main` (the CLI) and the
/// tests build the very same graph.
///
/// ```swift
/// let app = try await Application.build(configuration: configuration)
/// try app.start()                 // binds; `app.port` is the bound port (configure 0 for any)
/// await TerminationSignal.wait()
/// await app.shutdown()            // stops accepting, drains in-flight requests, closes the database
/// ```
final class Application: Sendable {
    /// The configuration the graph was built from.
    let configuration: Configuration
    /// The facade every route calls.
    let authority: MissionAuthority
    /// Every route, without metrics for requests no route matches.
    let router: Router
    /// What the server calls: `router`, plus the count of requests it refuses (404, 405). Route-level tests
    /// call `responder.respond(to:)` directly.
    let responder: MeteredRouter
    /// Agent signature verification; `start()` adds the authorities known only after the bind.
    let agents: AgentAuthenticator
    /// The HTTP server, not yet bound until `start()`.
    let server: HTTPServer
    /// Request and decision metrics, served at `/metrics`.
    let metrics: MetricsRegistry
    /// The periodic expiry of missions and reviews.
    let sweeper: ExpirySweeper
    /// Releases long polls at shutdown.
    let drain: DrainSignal
    let logger: Logger

    private init(
        configuration: Configuration, authority: MissionAuthority, router: Router, agents: AgentAuthenticator,
        server: HTTPServer, metrics: MetricsRegistry, sweeper: ExpirySweeper, drain: DrainSignal, logger: Logger
    ) {
        self.configuration = configuration
        self.authority = authority
        self.router = router
        responder = MeteredRouter(router: router, metrics: metrics)
        self.agents = agents
        self.server = server
        self.metrics = metrics
        self.sweeper = sweeper
        self.drain = drain
        self.logger = logger
    }

    /// Opens (creating on first start) the database and signing keys in `configuration.dataDirectory`
    /// and builds everything; nothing listens until `start()`.
    static func build(
        configuration: Configuration, timeSource: any TimeSource = SystemTimeSource(),
        random: any RandomSource = SystemRandomSource(), logger: Logger = Logger(label: "maserver")
    ) async throws -> Application {
        var logger = logger
        if let level = Logger.Level(rawValue: configuration.log.level) { logger.logLevel = level }
        try FileManager.default.createDirectory(
            atPath: configuration.dataDirectory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let authority = try await MissionAuthority.open(
            dataDirectory: configuration.dataDirectory, settings: try settings(from: configuration), time: timeSource,
            random: random)
        do {
            return try make(configuration: configuration, authority: authority, timeSource: timeSource, logger: logger)
        } catch {
            authority.close()
            throw error
        }
    }

    /// When the previous process last decided on an agent-signed request (the replay bound of
    /// `AgentAuthenticator.Settings.notBefore`). Admin and system events (an admin key created just
    /// before the start, a sweep) do not count. If none of the last 200 events is an agent's, the
    /// oldest of them is a conservative bound. One read of two columns: it is on every start's path.
    static func lastAgentDecision(in authority: MissionAuthority) throws -> Date? {
        try authority.lastAgentActivity(amongLast: 200)
    }

    private static func make(
        configuration: Configuration, authority: MissionAuthority, timeSource: any TimeSource, logger: Logger
    ) throws -> Application {
        let fetcher = documentFetcher(configuration)
        let lastRecordedActivity = try lastAgentDecision(in: authority)
        let startedAt = timeSource.now()
        let agents = try AgentAuthenticator.make(
            configuration: configuration, startedAt: startedAt, lastRecordedActivity: lastRecordedActivity,
            timeSource: timeSource, fetcher: fetcher,
            isRegisteredKey: { thumbprint in (try? authority.isRegisteredAgentKey(thumbprint: thumbprint)) ?? false },
            replayMarks: try authority.replayMarks(unexpiredAt: startedAt),
            recordReplayMark: { mark in
                do {
                    try await authority.recordReplayMark(mark)
                    return true
                } catch {
                    logger.error("a replay mark could not be recorded (fail closed)", metadata: ["error": "\(error)"])
                    return false
                }
            })
        let resourceTokens = try ResourceTokenVerifier.make(
            configuration: configuration, fetcher: fetcher, timeSource: timeSource)
        let metrics = MetricsRegistry()
        let drain = DrainSignal()
        let context = RouteContext(
            authority: authority, agents: agents, resourceTokens: resourceTokens,
            admins: AdminAuthenticator(authority: authority, limiter: FailureRateLimiter(time: timeSource)),
            metrics: metrics, time: timeSource, logger: logger, issuer: configuration.effectiveIssuer,
            maxWaitSeconds: configuration.reviews.maxWaitSeconds, drain: drain)
        var router = Router()
        AgentRoutes(context: context).register(on: &router)
        ControlRoutes(context: context).register(on: &router)
        PublicRoutes(context: context).register(on: &router)
        router.errorHandler = { error, request in
            logger.error("route failed", metadata: ["error": "\(error)", "request_id": "\(request.id)"])
        }
        let server = HTTPServer(
            configuration: serverConfiguration(configuration, logger: logger),
            responder: MeteredRouter(router: router, metrics: metrics))
        // Weak: the server holds the router, which holds the registry; a strong capture would be a cycle.
        metrics.registerGauge(name: "ma_http_open_connections", help: "Client connections currently open.") {
            [weak server] in server?.openConnectionCount ?? 0
        }
        return Application(
            configuration: configuration, authority: authority, router: router, agents: agents, server: server,
            metrics: metrics,
            sweeper: ExpirySweeper(authority: authority, logger: logger), drain: drain, logger: logger)
    }

    /// Binds and starts serving, and starts the expiry sweeps. In development the listen address and loopback
    /// names with the bound port become accepted `@authority` values here (with listen port 0 nobody can
    /// address us before the bind, and the graph was built before it).
    func start() throws {
        try server.start()
        if configuration.development {
            agents.acceptAuthorities(
                AgentAuthenticator.Settings.developmentAuthorities(
                    listenHost: configuration.listen.host, port: server.port))
        }
        sweeper.start()
        logger.notice(
            "serving", metadata: ["port": "\(server.port)", "issuer": "\(configuration.effectiveIssuer)"])
    }

    /// The bound TCP port (the real one when the configuration says 0); 0 before `start()`.
    var port: Int { server.port }

    /// Stops accepting, releases long polls (they answer 202 at once), lets requests in progress
    /// finish for up to `gracePeriod`, stops the sweeps and closes the database. The application
    /// cannot be started again.
    func shutdown(gracePeriod: Duration = .seconds(10)) async {
        drain.fire()
        await server.shutdown(gracePeriod: gracePeriod)
        await sweeper.stop()
        authority.close()
        logger.notice("stopped")
    }

    // MARK: Building blocks

    /// The facade's policy from the configuration.
    static func settings(from configuration: Configuration) throws -> MissionAuthority.Settings {
        var settings = MissionAuthority.Settings(issuer: configuration.effectiveIssuer)
        settings.defaultTokenLifetime = configuration.tokens.defaultLifetimeSeconds
        settings.maxTokenLifetime = configuration.tokens.maxLifetimeSeconds
        settings.proposalReviewLifetime = configuration.reviews.proposalTTLSeconds
        settings.accessReviewLifetime = configuration.reviews.accessRequestTTLSeconds
        settings.pollInterval = configuration.reviews.pollIntervalSeconds
        settings.allowPseudonymousAgents = configuration.agents.allowPseudonymous
        settings.signingAlgorithm = JWSAlgorithm(rawValue: configuration.signing.algorithm) ?? .ed25519
        settings.autoApprovalRules = try configuration.autoApproval.enumerated().map { index, rule in
            do {
                return try AutoApprovalRule(
                    agentPattern: AgentPattern(rule.agent),
                    maxEnvelope: try rule.grants.map { try AccessGrant(resource: $0.resource, scopes: $0.scopes) },
                    review: try rule.review.map { try AccessGrant(resource: $0.resource, scopes: $0.scopes) },
                    maxLifetime: rule.maxLifetimeSeconds, maxTokenLifetime: configuration.tokens.defaultLifetimeSeconds)
            } catch {
                throw ConfigurationError.invalidValue(key: "auto_approval[\(index)]", reason: "\(error)")
            }
        }
        return settings
    }

    /// HTTPKit's limits and timeouts from `http`, and the access log (never a token, signature
    /// or Authorization value: only method, path, status, size, duration, peer and request id).
    static func serverConfiguration(_ configuration: Configuration, logger: Logger) -> HTTPServer.Configuration {
        let http = configuration.http
        var server = HTTPServer.Configuration(host: configuration.listen.host, port: configuration.listen.port)
        server.eventLoopCount = http.eventLoops
        server.maxRequestLineBytes = http.maxRequestLineBytes
        server.maxHeaderBytes = http.maxHeaderBytes
        server.maxHeaderCount = http.maxHeaderCount
        server.maxBodyBytes = http.maxBodyBytes
        server.maxConnections = http.maxConnections
        server.headerReadTimeout = .milliseconds(http.headerTimeoutMilliseconds)
        server.requestTimeout = .milliseconds(http.requestTimeoutMilliseconds)
        server.keepAliveTimeout = .milliseconds(http.idleTimeoutMilliseconds)
        server.writeTimeout = .milliseconds(http.writeTimeoutMilliseconds)
        if configuration.log.accessLog {
            server.accessLog = { entry in
                let milliseconds =
                    Double(entry.duration.components.seconds) * 1000
                    + Double(entry.duration.components.attoseconds) / 1e15
                logger.info(
                    "\(entry.method) \(entry.path) \(entry.status)",
                    metadata: [
                        "request_id": "\(entry.requestID)", "bytes": "\(entry.bytes)",
                        "duration_ms": "\(Int(milliseconds.rounded()))", "peer": "\(entry.remoteAddress)",
                    ])
            }
        }
        return server
    }

    /// A fetcher only when some provider or resource discovers its keys (pinned keys need none).
    static func documentFetcher(_ configuration: Configuration) -> (any DocumentFetcher)? {
        guard
            configuration.agentProviders.contains(where: \.discover)
                || configuration.resources.contains(where: \.discover)
        else { return nil }
        return URLSessionDocumentFetcher(
            policy: EgressPolicy(
                allowsPrivateAddresses: configuration.egress.allowPrivateAddresses,
                allowsHTTP: configuration.development,
                maxDocumentBytes: configuration.egress.maxDocumentBytes,
                timeout: TimeInterval(configuration.egress.timeoutMilliseconds) / 1000))
    }
}
