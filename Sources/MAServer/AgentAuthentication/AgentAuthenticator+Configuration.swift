import Foundation
import MissionCore

extension AgentAuthenticator.Settings {
    /// Settings from the configuration. Accepted authorities: the issuer's; in development also the listen address,
    /// `localhost:port`, `127.0.0.1:port` and `[::1]:port`; plus `extra_authorities`. `startedAt` (the process
    /// start) becomes `notBefore`.
    init(configuration: Configuration, startedAt: Date) {
        let issuer = URLComponents(string: configuration.effectiveIssuer)
        let scheme = issuer?.scheme?.lowercased() ?? "https"
        var authorities = Set(configuration.extraAuthorities.map { $0.lowercased() })
        if let host = issuer?.host?.lowercased() {
            let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            authorities.insert(issuer?.port.map { "\(shownHost):\($0)" } ?? shownHost)
        }
        if configuration.development {
            let port = configuration.listen.port
            let host = configuration.listen.host.lowercased()
            authorities.insert((host.contains(":") ? "[\(host)]" : host) + ":\(port)")
            for loopback in ["localhost", "127.0.0.1", "[::1]"] { authorities.insert("\(loopback):\(port)") }
        }
        self.init(
            acceptedAuthorities: authorities, scheme: scheme, window: Int64(configuration.signatures.windowSeconds),
            // Rounded up: `created` has whole seconds, so a signature created in the second the
            // process started may predate the start (and have been accepted by the previous
            // process just before a restart); refusing that whole second closes the replay.
            notBefore: Int64(startedAt.timeIntervalSince1970.rounded(.up)),
            allowsPseudonymousAgents: configuration.agents.allowPseudonymous)
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
