import Foundation
import MissionCore

extension AgentAuthenticator.Settings {
    /// Settings from the configuration. Accepted authorities: the issuer's; in development also the listen address,
    /// `localhost:port`, `127.0.0.1:port` and `[::1]:port`; plus `extra_authorities`. `notBefore` comes from the
    /// process start and the last recorded activity (see `notBefore(startedAt:lastRecordedActivity:window:)`).
    /// With listen port 0 the real port is known only after the bind, so the development authorities are then
    /// left out here and added by `Application.start()`.
    init(configuration: Configuration, startedAt: Date, lastRecordedActivity: Date? = nil) {
        let issuer = URLComponents(string: configuration.effectiveIssuer)
        let scheme = issuer?.scheme?.lowercased() ?? "https"
        var authorities = Set(configuration.extraAuthorities.map { $0.lowercased() })
        if let host = issuer?.host?.lowercased() {
            let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            authorities.insert(issuer?.port.map { "\(shownHost):\($0)" } ?? shownHost)
        }
        if configuration.development, configuration.listen.port != 0 {
            authorities.formUnion(
                Self.developmentAuthorities(listenHost: configuration.listen.host, port: configuration.listen.port))
        }
        self.init(
            acceptedAuthorities: authorities, scheme: scheme, window: Int64(configuration.signatures.windowSeconds),
            notBefore: Self.notBefore(
                startedAt: startedAt, lastRecordedActivity: lastRecordedActivity,
                window: Int64(configuration.signatures.windowSeconds)),
            allowsPseudonymousAgents: configuration.agents.allowPseudonymous)
    }

    /// The earliest `created` accepted after a (re)start. The replay cache lives in memory, so a signature
    /// the previous process accepted must not be accepted again: everything created before this process
    /// started is refused, and so is everything created no later than the last decision the audit trail
    /// recorded (`created` has whole seconds: a previous process that was still deciding in the second this
    /// one starts may have accepted signatures created in it). A normal start, long after the last
    /// decision, therefore refuses nothing fresh; a sub-second restart under load refuses the rest of that
    /// second. Capped at start + window: anything created later is refused as clock skew anyway, and a
    /// clock stepped backwards must not lock agents out for longer.
    static func notBefore(startedAt: Date, lastRecordedActivity: Date?, window: Int64) -> Int64 {
        let start = Int64(startedAt.timeIntervalSince1970.rounded(.down))
        guard let last = lastRecordedActivity else { return start }
        let afterLast = Int64(last.timeIntervalSince1970.rounded(.down)) + 1
        return min(max(start, afterLast), start + window + 1)
    }

    /// What a development client may name in `Host` to reach the listener on `port`: the listen address itself and
    /// the loopback names (`localhost`, `127.0.0.1`, `[::1]`), each with the port.
    static func developmentAuthorities(listenHost: String, port: Int) -> Set<String> {
        let host = listenHost.lowercased()
        var authorities: Set<String> = [(host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host) + ":\(port)"]
        for loopback in ["localhost", "127.0.0.1", "[::1]"] { authorities.insert("\(loopback):\(port)") }
        return authorities
    }
}

extension AgentAuthenticator {
    /// The authenticator the Application builds: settings and agent providers from `configuration`, discovery
    /// through `fetcher` (normally a `URLSessionDocumentFetcher`), `hwk` registration from `isRegisteredKey`, replay
    /// marks as in `init`.
    static func make(
        configuration: Configuration, startedAt: Date, lastRecordedActivity: Date? = nil, timeSource: any TimeSource,
        fetcher: (any DocumentFetcher)?, isRegisteredKey: @escaping @Sendable (String) -> Bool,
        replayMarks: [ReplayMark] = [], recordReplayMark: (@Sendable (ReplayMark) async -> Bool)? = nil
    ) throws -> AgentAuthenticator {
        let providers = try IssuerKeyRegistry.agentProviders(configuration, fetcher: fetcher, timeSource: timeSource)
        return AgentAuthenticator(
            settings: Settings(
                configuration: configuration, startedAt: startedAt, lastRecordedActivity: lastRecordedActivity),
            providers: providers,
            timeSource: timeSource, isRegisteredKey: isRegisteredKey, replayMarks: replayMarks,
            recordReplayMark: recordReplayMark)
    }
}
