import ArgumentParser
import Foundation

/// The options every signed `maserver agent` request takes: where the MA is and which key signs.
struct AgentOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The MA's base URL, http://host:port (default: $MA_URL).", valueName: "URL"))
    var url: String?

    @Option(help: ArgumentHelp("The agent's private key, a PEM file from 'agent keygen'.", valueName: "FILE"))
    var key: String

    @Option(
        name: .customLong("agent-token"),
        help: ArgumentHelp(
            "Sign with the jwt scheme: a file holding an aa-agent+jwt whose cnf.jwk is --key (default: hwk).",
            valueName: "FILE"))
    var agentToken: String?

    /// The server and a signer for it.
    func prepare(environment: [String: String]) throws -> (server: ServerURL, signer: AgentRequestSigner) {
        let server = try ServerURL(parsing: try Self.serverURL(url, environment: environment))
        let key = try AgentKey.load(path: key)
        var identity = AgentRequestSigner.Identity.hwk
        if let agentToken {
            let text: String
            do { text = try String(contentsOfFile: agentToken, encoding: .utf8) } catch {
                throw CLIError.unreadableFile(path: agentToken, reason: error.localizedDescription)
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw CLIError.invalidArgument("\(agentToken) holds no token") }
            identity = .agentToken(token)
        }
        return (server, AgentRequestSigner(key: key, identity: identity, authority: server.authority))
    }

    /// `--url`, else `$MA_URL`.
    static func serverURL(_ url: String?, environment: [String: String]) throws -> String {
        guard let url = url ?? environment["MA_URL"], !url.isEmpty else {
            throw CLIError.invalidArgument("no server: give --url http://host:port or set MA_URL")
        }
        return url
    }

    /// Signs and sends one request and reports the answer.
    func send(
        _ method: HTTPMethodName, _ target: String, body: [UInt8] = [], headers: [(String, String)] = [],
        environment: [String: String]
    ) async throws -> CommandOutput {
        let (server, signer) = try prepare(environment: environment)
        let request = try signer.sign(method: method.httpMethod, target: target, body: body, headers: headers)
        return HTTPExchange.report(try await HTTPExchange.send(request, to: server))
    }
}
