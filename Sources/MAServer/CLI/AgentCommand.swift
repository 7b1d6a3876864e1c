import ArgumentParser
import Foundation
import HTTPKit
import MissionCore

/// `maserver agent …`: a small AAuth agent for the shell. Every request is signed (RFC 9421, Ed25519,
/// `Content-Digest`, `Signature-Key` with the `hwk` scheme, or `jwt` with `--agent-token`); each command prints
/// the status line, the meaningful headers and the JSON body, and exits 1 on a 4xx or 5xx answer.
///
/// ```
/// maserver agent keygen --out agent.pem
/// maserver agent register --url http://127.0.0.1:8080 --admin-key "$KEY" --name demo --key agent.pem
/// maserver agent propose --url http://127.0.0.1:8080 --key agent.pem --text mission.md \
///     --resource https://api.example:read,write
/// ```
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "A signing AAuth agent for the shell: keygen, register, propose, poll, token, complete.",
        subcommands: [
            Keygen.self, Register.self, Propose.self, Poll.self, Answer.self, Cancel.self, Token.self, Complete.self,
            Mission.self,
        ])

    struct Keygen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an Ed25519 key (PEM, mode 0600) and print its public JWK and agent id.")

        @Option(help: ArgumentHelp("Where to write the private key; never overwritten.", valueName: "FILE"))
        var out: String

        func run() async throws {
            try execute().emit()
        }

        func execute() throws -> CommandOutput {
            let key = try AgentKey.generate()
            try key.write(to: out)
            var output = CommandOutput()
            output.note("wrote the private key to \(out) (mode 0600)")
            output.print("agent: \(key.agentID)")
            output.print("jwk: \(key.publicJWK.jsonString)")
            return output
        }
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Register the key's public half as an agent (admin POST /agents), so its hwk requests are accepted.")

        @Option(help: ArgumentHelp("The MA's base URL (default: $MA_URL).", valueName: "URL"))
        var url: String?

        @Option(
            name: .customLong("admin-key"),
            help: ArgumentHelp("An admin API key with the admin role (default: $MA_ADMIN_KEY).", valueName: "KEY"))
        var adminKey: String?

        @Option(help: "A name for the agent, shown to reviewers.")
        var name: String

        @Option(help: ArgumentHelp("The agent's private key (only its public half is sent).", valueName: "FILE"))
        var key: String

        func run() async throws {
            try await execute().emit()
        }

        func execute(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> CommandOutput
        {
            let server = try ServerURL(parsing: try AgentOptions.serverURL(url, environment: environment))
            let agentKey = try AgentKey.load(path: key)
            let secret = try AdminCommand.adminKey(adminKey, environment: environment)
            let body = JSONText.bytes(["name": name, "jwk": agentKey.publicJWKMembers])
            let request = AdminCommand.request(
                .post, "/agents", secret: secret, body: body, authority: server.authority)
            return HTTPExchange.report(try await HTTPExchange.send(request, to: server))
        }
    }

    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Propose a mission (POST /mission): 200 with the approved mission, or 202 and a pending URL to poll.")

        /// The two proposal bodies of DESIGN §3.2.
        enum Form: String, CaseIterable, ExpressibleByArgument, Sendable {
            /// `{"mission_proposal": …}`, answered with `{"mission": {"s256", "approved"}}`.
            case seed
            /// `{"description": …}`, answered with `{"s256", "mission": <base64url blob>}`.
            case draft
        }

        @OptionGroup var agent: AgentOptions

        @Option(help: ArgumentHelp("The proposal's Markdown, from FILE or - for stdin.", valueName: "FILE"))
        var text: String

        @Option(
            help: ArgumentHelp(
                "Access the mission expects: ORIGIN or ORIGIN:scope1,scope2 (repeatable).", valueName: "RESOURCE"))
        var resource: [ResourceArgument] = []

        @Option(help: "Proposal body: seed (mission_proposal) or draft (description).")
        var form: Form = .seed

        func run() async throws {
            try await execute().emit()
        }

        func execute(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> CommandOutput
        {
            let markdown = try Self.readText(text)
            var body: [String: Any] = [form == .seed ? "mission_proposal" : "description": markdown]
            if !resource.isEmpty { body["resources"] = resource.map(\.jsonObject) }
            return try await agent.send(.post, "/mission", body: JSONText.bytes(body), environment: environment)
        }

        /// The contents of `path`, or of stdin for `-`; non-empty UTF-8.
        static func readText(_ path: String) throws -> String {
            let data: Data
            if path == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                    throw CLIError.unreadableFile(path: path, reason: error.localizedDescription)
                }
            }
            guard let text = String(data: data, encoding: .utf8),
                !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            else { throw CLIError.invalidArgument("the text (\(path)) must be non-empty UTF-8") }
            return text
        }
    }

    struct Poll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Poll a pending URL (GET /pending/{id}) once; with --wait the MA holds the answer up to N s.")

        @OptionGroup var agent: AgentOptions

        @Argument(
            help: ArgumentHelp(
                "The Location of a 202 answer: /pending/… or the absolute URL.", valueName: "PENDING_URL"))
        var pending: String

        @Option(help: ArgumentHelp("Send Prefer: wait=N (the MA caps N).", valueName: "N"))
        var wait: Int?

        func validate() throws {
            if let wait, wait < 0 { throw ValidationError("--wait must be 0 or more") }
        }

        func run() async throws {
            try await execute().emit()
        }

        func execute(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> CommandOutput
        {
            let server = try ServerURL(parsing: try AgentOptions.serverURL(agent.url, environment: environment))
            let target = try server.target(of: pending)
            // RFC 7240 §4.3: the client's preferred wait, in seconds.
            let headers = wait.map { [("Prefer", "wait=\($0)")] } ?? []
            return try await agent.send(.get, target, headers: headers, environment: environment)
        }
    }

    struct Answer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Answer a reviewer's clarification question (POST /pending/{id}).")

        @OptionGroup var agent: AgentOptions

        @Argument(help: ArgumentHelp("The pending URL whose 202 carried the question.", valueName: "PENDING_URL"))
        var pending: String

        @Option(help: ArgumentHelp("The answer, from FILE or - for stdin.", valueName: "FILE"))
        var text: String

        func run() async throws {
            try await execute().emit()
        }

        func execute(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> CommandOutput
        {
            let server = try ServerURL(parsing: try AgentOptions.serverURL(agent.url, environment: environment))
            let body = JSONText.bytes([
                "action": "clarification_response", "clarification_response": try Propose.readText(text),
            ])
            return try await agent.send(.post, try server.target(of: pending), body: body, environment: environment)
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Withdraw a deferred request (DELETE /pending/{id}).")

        @OptionGroup var agent: AgentOptions

        @Argument(help: ArgumentHelp("The pending URL to cancel.", valueName: "PENDING_URL"))
        var pending: String

        func run() async throws {
            try await execute().emit()
        }

        func execute(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> CommandOutput
        {
            let server = try ServerURL(parsing: try AgentOptions.serverURL(agent.url, environment: environment))
            return try await agent.send(.delete, try server.target(of: pending), environment: environment)
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask for an auth token for a resource under a mission (POST /token).")

        @OptionGroup var agent: AgentOptions

        // base64url: one s256 in 64 starts with "-", which must still be read as this option's value.
        @Option(parsing: .unconditional, help: ArgumentHelp("The mission's s256.", valueName: "S256"))
        var mission: String

        @Option(help: ArgumentHelp("The resource's origin, e.g. https://api.example.", valueName: "ORIGIN"))
        var resource: String

        @Option(help: ArgumentHelp("A scope to request (repeatable; sent space-separated).", valueName: "SCOPE"))
        var scope: [String]

        @Option(help: "Why the agent needs this access, shown to a reviewer if the request is deferred.")
        var justification: String?

        func validate() throws {
            guard !scope.isEmpty, scope.allSatisfy({ !$0.isEmpty && !$0.contains(" ") }) else {
                throw ValidationError("give at least one --scope, each without spaces")
            }
        }

        func run() async throws {
            try await execute().emit()
        }

        func execute(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> CommandOutput
        {
            var body: [String: Any] = [
                "mission_s256": mission, "resource": resource, "scope": scope.joined(separator: " "),
            ]
            if let justification { body["justification"] = justification }
            return try await agent.send(.post, "/token", body: JSONText.bytes(body), environment: environment)
        }
    }

    struct Complete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report the mission done (POST /mission/{s256} with action complete).")

        @OptionGroup var agent: AgentOptions

        // base64url: one s256 in 64 starts with "-", which must still be read as this option's value.
        @Option(parsing: .unconditional, help: ArgumentHelp("The mission's s256.", valueName: "S256"))
        var mission: String

        @Option(help: "What was achieved, recorded in the audit trail.")
        var summary: String

        func run() async throws {
            try await execute().emit()
        }

        func execute(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> CommandOutput
        {
            let body = JSONText.bytes(["action": "complete", "summary": summary])
            return try await agent.send(
                .post, "/mission/\(try Self.segment(mission))", body: body, environment: environment)
        }

        /// An s256 as a path segment: base64url characters only, so nothing needs escaping.
        static func segment(_ s256: String) throws -> String {
            guard !s256.isEmpty, s256.utf8.allSatisfy(Self.isBase64URLByte) else {
                throw ValidationError("--mission: an s256 is base64url (A-Z a-z 0-9 - _)")
            }
            return s256
        }

        static func isBase64URLByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default: false
            }
        }
    }

    struct Mission: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mission", abstract: "Read one of the agent's missions (GET /mission/{s256}).")

        @OptionGroup var agent: AgentOptions

        @Argument(help: ArgumentHelp(
            "The mission's s256 (write `-- S256` when it starts with a dash).", valueName: "S256"))
        var s256: String

        func run() async throws {
            try await execute().emit()
        }

        func execute(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> CommandOutput
        {
            try await agent.send(.get, "/mission/\(try Complete.segment(s256))", environment: environment)
        }
    }
}
