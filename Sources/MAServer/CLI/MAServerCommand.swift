import ArgumentParser

/// The `maserver` executable: the server itself plus the operator's offline tools and a signing agent client.
///
/// ```
/// maserver serve --config /etc/maserver.json
/// maserver admin-key create --data-dir ./ma-data --role admin --name alice
/// maserver agent propose --url http://127.0.0.1:8080 --key agent.pem --text mission.md
/// ```
struct MAServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maserver",
        abstract: "AAuth Mission Authority: an authorization server for AI agents.",
        subcommands: [
            ServeCommand.self, AdminKeyCommand.self, KeysCommand.self, AuditCommand.self, BackupCommand.self,
            AgentCommand.self,
            AdminCommand.self,
        ])
}

extension MAServerCommand {
    /// Parses the process arguments and runs the chosen command. (In `main.swift`'s top-level code the plain
    /// `main()` and `run()` calls resolve to ParsableCommand's synchronous overloads, which print help instead of
    /// running an async subcommand.)
    static func start(_ arguments: [String]? = nil) async {
        do {
            var command = try await asyncParseAsRoot(arguments)
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
