/// A complete, validated HTTP request as handed to an `HTTPResponder`.
///
/// Every request reaching a responder has passed the strict RFC 9112 checks documented in
/// Docs/HTTP.md: its framing is unambiguous, its header fields are well-formed and its target's
/// percent escapes are valid.
public struct HTTPRequest: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The request target exactly as received on the request line (RFC 9112 §3.2).
    public var target: String
    /// The path component of the target, still percent-encoded (`/missions/a%20b`).
    public var path: String
    /// The query component without the `?`, still percent-encoded, or nil when absent.
    public var query: String?
    /// The protocol version of the request.
    public var version: HTTPVersion
    /// The header fields in received order, with raw names and values.
    public var headers: HTTPHeaders
    /// The request content, already de-chunked.
    public var body: [UInt8]
    /// Trailer fields received after a chunked body (empty otherwise); never merged into `headers`.
    public var trailers: HTTPHeaders
    /// The peer's address as `ip:port` (`[ip]:port` for IPv6), or empty when not from a socket.
    public var remoteAddress: String
    /// A server-assigned identifier, unique within the process, for logs and correlation.
    public var id: String

    /// Creates a request; `target` is split into `path` and `query` at the first `?`.
    public init(
        method: HTTPMethod,
        target: String,
        version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [],
        trailers: HTTPHeaders = HTTPHeaders(),
        remoteAddress: String = "",
        id: String = ""
    ) {
        self.method = method
        self.target = target
        if let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = String(target[..<mark])
            query = String(target[target.index(after: mark)...])
        } else {
            path = target
            query = nil
        }
        self.version = version
        self.headers = headers
        self.body = body
        self.trailers = trailers
        self.remoteAddress = remoteAddress
        self.id = id
    }

    init(
        method: HTTPMethod, target: String, path: String, query: String?, version: HTTPVersion,
        headers: HTTPHeaders, body: [UInt8], trailers: HTTPHeaders
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
        self.trailers = trailers
        self.remoteAddress = ""
        self.id = ""
    }

    /// The query's `name=value` pairs, percent-decoded (`+` decodes to a space), in order.
    ///
    /// Requests from the server always have valid escapes (invalid ones are rejected with 400);
    /// for hand-built requests an invalid escape leaves that item's text undecoded.
    public var queryItems: [QueryItem] {
        guard let query else { return [] }
        return QueryItem.parse(query)
    }

    /// The decoded value of the first query item named `name`, or nil.
    public func queryParameter(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// Whether the client asked to keep the connection open after this request (RFC 9112 §9.3).
    public var wantsKeepAlive: Bool {
        if version == .http1_0 {
            return headers.listContains("keep-alive", inFieldsNamed: "Connection")
                && !headers.listContains("close", inFieldsNamed: "Connection")
        }
        return !headers.listContains("close", inFieldsNamed: "Connection")
    }
}
