import ArgumentParser
import Foundation
import MissionCore

/// `maserver admin-key create|list|revoke`: the admin API keys, managed directly in the database.
struct AdminKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin-key",
        abstract: "Create, list and revoke admin API keys (works while the server runs).",
        subcommands: [Create.self, List.self, Revoke.self])

    /// Reads a role name, listing the valid ones on error.
    static func role(_ text: String) throws -> AdminRole {
        guard let role = AdminRole(rawValue: text) else {
            throw ValidationError(
                "unknown role '\(text)'; one of \(AdminRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return role
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an admin API key and print it (once) on the last line of stdout.",
            discussion:
                "Roles: admin (everything), reviewer (read, decide reviews), auditor (read), events (post business events)."
        )

        @OptionGroup var data: DataDirectoryOptions

        @Option(help: "admin, reviewer, auditor or events.", transform: AdminKeyCommand.role)
        var role: AdminRole

        @Option(help: "A name for the key's holder, shown in listings and in the audit trail.")
        var name: String

        func run() async throws {
            try await execute().emit()
        }

        /// Creates the key; stdout holds only the secret, so `KEY=$(maserver admin-key create …)` works.
        func execute(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> CommandOutput
        {
            let authority = try await data.openAuthority(creating: true, environment: environment)
            defer { authority.close() }
            let created: (key: AdminKeyRecord, secret: String)
            do {
                created = try await authority.createAdminKey(name: name, role: role, by: .system)
            } catch {
                throw CLIError.authority(error)
            }
            var output = CommandOutput()
            output.note("created admin key \(created.key.id) (\(role.rawValue), \"\(name)\"); it is shown only now:")
            output.print(created.secret)
            return output
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List admin keys (never their secrets).")

        @OptionGroup var data: DataDirectoryOptions

        @Flag(help: "One JSON object per line instead of a table.")
        var json = false

        func run() async throws {
            try await execute().emit()
        }

        func execute(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> CommandOutput
        {
            let authority = try await data.openAuthority(creating: false, environment: environment)
            defer { authority.close() }
            let keys: [AdminKeyRecord]
            do { keys = try authority.listAdminKeys() } catch { throw CLIError.authority(error) }
            var output = CommandOutput()
            if json {
                for key in keys { output.print(Self.jsonLine(key)) }
                return output
            }
            var table = TextTable("ID", "NAME", "ROLE", "CREATED", "LAST USED", "REVOKED")
            for key in keys {
                table.add(
                    key.id, key.name, key.role.rawValue, RFC3339.string(from: key.createdAt),
                    key.lastUsedAt.map(RFC3339.string(from:)) ?? "-", key.revokedAt.map(RFC3339.string(from:)) ?? "-")
            }
            output.lines = table.lines
            return output
        }

        static func jsonLine(_ key: AdminKeyRecord) -> String {
            var object: [String: Any] = [
                "id": key.id, "name": key.name, "role": key.role.rawValue,
                "created_at": RFC3339.string(from: key.createdAt),
            ]
            if let used = key.lastUsedAt { object["last_used_at"] = RFC3339.string(from: used) }
            if let revoked = key.revokedAt { object["revoked_at"] = RFC3339.string(from: revoked) }
            return JSONText.compact(object)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an admin key; it stops working at once.")

        @OptionGroup var data: DataDirectoryOptions

        @Argument(help: "The key id, as 'admin-key list' shows it (write `-- ID` when it starts with a dash).")
        var id: String

        func run() async throws {
            try await execute().emit()
        }

        func execute(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> CommandOutput
        {
            let authority = try await data.openAuthority(creating: false, environment: environment)
            defer { authority.close() }
            do {
                try await authority.revokeAdminKey(id: id, by: .system)
            } catch .notFound {
                throw CLIError.invalidArgument("no active admin key with id '\(id)'")
            } catch {
                throw CLIError.authority(error)
            }
            var output = CommandOutput()
            output.print("revoked \(id)")
            return output
        }
    }
}
