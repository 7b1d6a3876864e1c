import ArgumentParser
import Foundation
import HTTPKit

/// `maserver admin METHOD PATH [BODY]`: one call to the admin API with a bearer key, printed like the agent
/// helper's answers, so the walkthrough needs no curl.
///
/// ```
/// maserver admin --url http://127.0.0.1:8080 --key "$KEY" get '/reviews?status=pending'
/// maserver admin --url http://127.0.0.1:8080 --key "$KEY" post /reviews/r_123/approve '{"grants": […]}'
/// ```
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Call the admin API: get, post or delete a path with an admin key.")

    @Option(help: ArgumentHelp("The MA's base URL (default: $MA_URL).", valueName: "URL"))
    var url: String?

    @Option(help: ArgumentHelp("An admin API key (default: $MA_ADMIN_KEY).", valueName: "KEY"))
    var key: String?

    @Argument(help: "get, post or delete.")
    var method: HTTPMethodName

    @Argument(help: ArgumentHelp("The path, e.g. /reviews?status=pending.", valueName: "PATH"))
    var path: String

    @Argument(help: ArgumentHelp("JSON body: the text itself, @FILE, or - for stdin (post only).", valueName: "BODY"))
    var body: String?

    func validate() throws {
        guard path.hasPrefix("/") else { throw ValidationError("PATH must start with /") }
        if body != nil, method != .post { throw ValidationError("only post takes a body") }
    }

    func run() async throws {
        try await execute().emit()
    }

    func execute(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> CommandOutput {
        let server = try ServerURL(parsing: try AgentOptions.serverURL(url, environment: environment))
        let secret = try Self.adminKey(key, environment: environment)
        var bytes: [UInt8] = []
        if let body {
            bytes = try Self.readBody(body)
        } else if method == .post {
            bytes = Array("{}".utf8)
        }
        let request = Self.request(method, path, secret: secret, body: bytes, authority: server.authority)
        return HTTPExchange.report(try await HTTPExchange.send(request, to: server))
    }

    /// `--key`/`--admin-key`, else `$MA_ADMIN_KEY`.
    static func adminKey(_ given: String?, environment: [String: String]) throws -> String {
        guard let key = given ?? environment["MA_ADMIN_KEY"], !key.isEmpty else {
            throw CLIError.invalidArgument("no admin key: pass it as an option or set MA_ADMIN_KEY")
        }
        guard key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw CLIError.invalidArgument("the admin key has characters an HTTP header cannot carry")
        }
        return key
    }

    /// The body text, read from `@FILE` or stdin when asked, and checked to be JSON before it is sent.
    static func readBody(_ argument: String) throws -> [UInt8] {
        let data: Data
        if argument == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else if argument.hasPrefix("@") {
            let path = String(argument.dropFirst())
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw CLIError.unreadableFile(path: path, reason: error.localizedDescription)
            }
        } else {
            data = Data(argument.utf8)
        }
        guard (try? JSONSerialization.jsonObject(with: data)) != nil else {
            throw CLIError.invalidArgument("the body is not JSON")
        }
        return Array(data)
    }

    /// An admin API request (RFC 6750 §2.1 bearer credentials).
    static func request(
        _ method: HTTPMethodName, _ target: String, secret: String, body: [UInt8], authority: String
    ) -> HTTPRequest {
        var headers = HTTPHeaders([("Host", authority), ("Authorization", "Bearer \(secret)")])
        if !body.isEmpty { headers.add(name: "Content-Type", value: "application/json") }
        return HTTPRequest(method: method.httpMethod, target: target, headers: headers, body: body)
    }
}
