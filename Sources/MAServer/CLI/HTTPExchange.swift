import Foundation
import HTTPKit

/// One request from a helper command to the MA, and the answer printed for a person: the status line, the headers
/// that carry meaning, and the body (JSON re-indented).
enum HTTPExchange {
    /// Headers left out of the printout: framing and connection management, never part of the API.
    static let unprinted: Set<String> = ["content-length", "connection", "keep-alive", "date", "transfer-encoding"]

    /// Sends `request` on a fresh connection and returns the response.
    static func send(_ request: HTTPRequest, to server: ServerURL) async throws -> HTTPResponse {
        let client = HTTPClient(host: try server.addressLiteral(), port: server.port)
        do {
            let response = try await client.send(request)
            await client.close()
            return response
        } catch {
            await client.close()
            throw CLIError.transport("\(server.authority): \(describe(error))")
        }
    }

    /// A socket failure in words (`connect: Connection refused`).
    static func describe(_ error: SocketError) -> String {
        switch error {
        case .system(let call, let code): "\(call): \(String(cString: strerror(code)))"
        case .connectionClosed: "the server closed the connection without answering"
        case .invalidResponse(let reason): "not a valid HTTP response (\(reason))"
        case .invalidAddress(let host): "cannot connect to \(host)"
        default: "\(error)"
        }
    }

    /// The printout; the exit status is 1 for a 4xx or 5xx answer.
    static func report(_ response: HTTPResponse) -> CommandOutput {
        var output = CommandOutput()
        let reason = response.status.reasonPhrase.isEmpty ? "" : " " + response.status.reasonPhrase
        output.print("HTTP/1.1 \(response.status.code)\(reason)")
        for field in response.headers where !unprinted.contains(field.name.lowercased()) {
            output.print("\(field.name): \(field.value)")
        }
        if !response.body.isEmpty {
            output.print("")
            output.print(JSONText.pretty(response.body) ?? String(decoding: response.body, as: UTF8.self))
        }
        output.exitCode = response.status.code >= 400 ? 1 : 0
        return output
    }
}
