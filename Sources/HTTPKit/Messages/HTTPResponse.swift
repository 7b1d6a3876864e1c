import Foundation

/// A response produced by a responder; the server adds `Content-Length`, `Date` and `Connection`.
///
/// Framing headers set here (`Content-Length`, `Transfer-Encoding`) are ignored: the server
/// derives them from `body` (RFC 9112 §6.3). A header name or value containing CR, LF or NUL makes
/// the server send a 500 instead (response splitting, RFC 9110 §5.5).
public struct HTTPResponse: Sendable {
    /// The status code.
    public var status: HTTPStatus
    /// Header fields to send, in order.
    public var headers: HTTPHeaders
    /// The content bytes (not sent for HEAD requests, 1xx, 204 and 304).
    public var body: [UInt8]

    /// Creates a response.
    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A `text/plain; charset=utf-8` response.
    public static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    /// An `application/json` response encoding `value`; an encoding failure becomes a 500 problem.
    public static func json<T: Encodable>(
        _ value: T, status: HTTPStatus = .ok, encoder: JSONEncoder = HTTPResponse.defaultEncoder()
    ) -> HTTPResponse {
        guard let data = try? encoder.encode(value) else {
            return .problem(status: .internalServerError, error: "internal_error")
        }
        return HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Array(data))
    }

    /// An `application/problem+json` response (RFC 9457) that always carries an `error` member.
    ///
    /// The body holds `error`, `status`, `detail` (when given) and `extra` members; an extra member
    /// named `error`, `status` or `detail` is ignored so the fixed members cannot be overridden.
    public static func problem(
        status: HTTPStatus, error: String, detail: String? = nil, extra: [String: ProblemValue] = [:]
    ) -> HTTPResponse {
        var members: [(String, ProblemValue)] = [("error", .string(error)), ("status", .int(status.code))]
        if let detail { members.append(("detail", .string(detail))) }
        for key in extra.keys.sorted() where key != "error" && key != "status" && key != "detail" {
            if let value = extra[key] { members.append((key, value)) }
        }
        var body: [UInt8] = []
        ProblemValue.object(members).write(into: &body)
        return HTTPResponse(status: status, headers: ["Content-Type": "application/problem+json"], body: body)
    }

    /// A JSON encoder with sorted keys, as used by `json(_:status:encoder:)` by default.
    public static func defaultEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
