import ArgumentParser
import Foundation
import HTTPKit
import Logging

/// `maserver serve`: builds the Application from the configuration (file ← `MA_*` environment ← flags), serves
/// until SIGTERM or SIGINT, then drains requests in progress and exits 0.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Mission Authority.",
        discussion: """
            Settings come from the JSON file (--config or $MA_CONFIG), then MA_* environment variables, then these \
            flags. With no configuration file and no issuer, the server runs in development mode (http issuer on \
            the listen address) and says so loudly: never expose such a server. Docs/Operations.md lists every setting.
            """)

    @Option(help: ArgumentHelp("JSON configuration file (default: $MA_CONFIG).", valueName: "FILE"))
    var config: String?

    @Option(
        help: ArgumentHelp(
            "Address to bind, HOST:PORT, [IPv6]:PORT or :PORT (default 127.0.0.1:8080).", valueName: "HOST:PORT"))
    var listen: String?

    @Option(
        help: ArgumentHelp(
            "The public issuer URL, https://ma.example (required outside development mode).", valueName: "URL"))
    var issuer: String?

    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp("Folder for the database and signing keys (default ./ma-data).", valueName: "DIR"))
    var dataDirectory: String?

    @Flag(help: "Development mode: allows an http:// issuer and one with a port. Never in production.")
    var development = false

    @Flag(
        name: .customLong("allow-pseudonymous-agents"),
        help: "Accept hwk keys nobody registered (identity = key thumbprint).")
    var allowPseudonymousAgents = false

    @Option(
        name: .customLong("log-level"),
        help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "LEVEL"))
    var logLevel: String?

    @Flag(name: .customLong("check"), help: "Validate the configuration, print a summary of it and exit.")
    var checkOnly = false

    /// The effective configuration, and whether development mode was switched on because nothing named an
    /// issuer or a configuration file (so that `maserver serve` alone works on a laptop).
    func resolve(environment: [String: String]) throws -> (configuration: Configuration, automaticDevelopment: Bool) {
        let automatic =
            !development && config == nil && issuer == nil
            && environment["MA_CONFIG"] == nil && environment["MA_ISSUER"] == nil
            && environment["MA_DEVELOPMENT"] == nil
        let overrides = ConfigurationLoader.Overrides(
            listen: listen, issuer: issuer, dataDirectory: dataDirectory,
            development: development || automatic ? true : nil,
            allowPseudonymousAgents: allowPseudonymousAgents ? true : nil, logLevel: logLevel)
        do {
            let configuration = try ConfigurationLoader(environment: environment).load(
                file: config, overrides: overrides)
            return (configuration, automatic)
        } catch let error as ConfigurationError {
            throw CLIError.configuration(error.description)
        }
    }

    /// The line printed once the server listens.
    static func startupLine(configuration: Configuration, port: Int) -> String {
        let host =
            configuration.listen.host.contains(":") ? "[\(configuration.listen.host)]" : configuration.listen.host
        return "maserver listening on http://\(host):\(port) (issuer \(configuration.effectiveIssuer), "
            + "data \(configuration.dataDirectory)\(configuration.development ? ", DEVELOPMENT MODE" : ""))"
    }

    /// What `--check` prints: the settings an operator most often gets wrong.
    static func summary(_ configuration: Configuration) -> String {
        let c = configuration
        return [
            "configuration ok",
            "  listen: \(c.listen.host):\(c.listen.port)",
            "  issuer: \(c.effectiveIssuer)\(c.development ? " (development mode)" : "")",
            "  data_dir: \(c.dataDirectory)",
            "  signing: \(c.signing.algorithm); tokens \(c.tokens.defaultLifetimeSeconds) s, at most \(c.tokens.maxLifetimeSeconds) s",
            "  agent providers: \(c.agentProviders.count); resources: \(c.resources.count); auto-approval rules: \(c.autoApproval.count)",
            "  pseudonymous agents: \(c.agents.allowPseudonymous ? "allowed" : "refused")",
        ].joined(separator: "\n")
    }

    func run() async throws {
        let (configuration, automatic) = try resolve(environment: ProcessInfo.processInfo.environment)
        if checkOnly {
            do { _ = try Application.settings(from: configuration) } catch let error as ConfigurationError {
                throw CLIError.configuration(error.description)
            }
            FileHandle.standardOutput.write(Data((Self.summary(configuration) + "\n").utf8))
            return
        }
        let level = Logger.Level(rawValue: configuration.log.level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "maserver")
        if automatic {
            logger.warning(
                "DEVELOPMENT MODE: no configuration file and no issuer were given, so this MA uses the http issuer \(configuration.effectiveIssuer). Do not expose it; set an https issuer (--issuer, MA_ISSUER or a configuration file) for real use."
            )
        } else if configuration.development {
            logger.warning("development mode is on: http issuers are allowed; do not use it in production")
        }
        let application: Application
        do {
            application = try await Application.build(configuration: configuration, logger: logger)
        } catch let error as ConfigurationError {
            throw CLIError.configuration(error.description)
        } catch {
            throw CLIError.configuration("cannot open \(configuration.dataDirectory): \(error)")
        }
        do {
            try application.start()
        } catch {
            await application.shutdown(gracePeriod: .zero)
            let listen = "\(configuration.listen.host):\(configuration.listen.port)"
            if let error = error as? SocketError {
                throw CLIError.configuration("cannot listen on \(listen): \(HTTPExchange.describe(error))")
            }
            throw CLIError.configuration("cannot listen on \(listen): \(error)")
        }
        // Unbuffered, so that a supervisor reading a pipe sees it at once.
        FileHandle.standardOutput.write(
            Data((Self.startupLine(configuration: configuration, port: application.port) + "\n").utf8))
        let signal = await TerminationSignal.wait()
        logger.notice("signal \(signal) received: draining requests in progress")
        await application.shutdown()
    }
}
