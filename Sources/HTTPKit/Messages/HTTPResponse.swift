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

/// A JSON value for extra members of a problem document.
public enum ProblemValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([ProblemValue])
    case object([(String, ProblemValue)])
    case null

    public static func == (lhs: ProblemValue, rhs: ProblemValue) -> Bool {
        var a: [UInt8] = []
        var b: [UInt8] = []
        lhs.write(into: &a)
        rhs.write(into: &b)
        return a == b
    }

    /// Serializes the value as compact JSON (RFC 8259), escaping control characters.
    func write(into out: inout [UInt8]) {
        switch self {
        case .string(let s): Self.writeString(s, into: &out)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (i, v) in values.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                v.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(k, into: &out)
                out.append(UInt8(ascii: ":"))
                v.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ s: String, into out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20, 0x7F:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
