import Foundation
import MissionCore

extension AgentAuthenticator.Settings {
    /// Settings from the configuration. Accepted authorities: the issuer's; in development also the listen address,
    /// `localhost:port`, `127.0.0.1:port` and `[::1]:port`; plus `extra_authorities`. `startedAt` (the process
    /// start) becomes `notBefore`. With listen port 0 the real port is known only after the bind, so the
    /// development authorities are then left out here and added by `Application.start()`.
    init(configuration: Configuration, startedAt: Date) {
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
            // Rounded up: `created` has whole seconds, so a signature created in the second the
            // process started may predate the start (and have been accepted by the previous
            // process just before a restart); refusing that whole second closes the replay.
            notBefore: Int64(startedAt.timeIntervalSince1970.rounded(.up)),
            allowsPseudonymousAgents: configuration.agents.allowPseudonymous)
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
    /// through `fetcher` (normally a `URLSessionDocumentFetcher`), `hwk` registration from `isRegisteredKey`.
    static func make(
        configuration: Configuration, startedAt: Date, timeSource: any TimeSource, fetcher: (any DocumentFetcher)?,
        isRegisteredKey: @escaping @Sendable (String) -> Bool
    ) throws -> AgentAuthenticator {
        let providers = try IssuerKeyRegistry.agentProviders(configuration, fetcher: fetcher, timeSource: timeSource)
        return AgentAuthenticator(
            settings: Settings(configuration: configuration, startedAt: startedAt), providers: providers,
            timeSource: timeSource, isRegisteredKey: isRegisteredKey)
    }
}
