/// Anything that answers requests: a `Router`, or a custom type.
///
/// `respond` runs as a Swift task off the event loop, so it may suspend (a long poll, a
/// group-committed database write) without holding a thread or blocking other connections.
public protocol HTTPResponder: Sendable {
    /// Produces the response for one request.
    func respond(to request: HTTPRequest) async -> HTTPResponse
}

/// An error that carries its own HTTP answer; any other error thrown by a route becomes a bare 500.
public protocol HTTPResponseError: Error {
    /// The status to answer with.
    var status: HTTPStatus { get }
    /// The problem document's `error` member, a stable machine-readable code.
    var errorCode: String { get }
    /// A human-readable explanation safe to show to the client, or nil.
    var detail: String? { get }
    /// The full response; by default an `application/problem+json` document from the members above.
    func makeResponse() -> HTTPResponse
}

extension HTTPResponseError {
    public var detail: String? { nil }

    public func makeResponse() -> HTTPResponse {
        .problem(status: status, error: errorCode, detail: detail)
    }
}
