/// One access-log line: what was asked, what was answered, how long it took.
public struct AccessLogEntry: Sendable {
    /// The server-assigned request id (also `HTTPRequest.id`).
    public var requestID: String
    /// The request method, or `-` when the request line could not be parsed.
    public var method: String
    /// The request target's path (still percent-encoded), or `-`.
    public var path: String
    /// The status sent.
    public var status: Int
    /// The content bytes sent (0 for HEAD).
    public var bytes: Int
    /// Time from the request's first byte to the response being queued for writing.
    public var duration: Duration
    /// The peer address.
    public var remoteAddress: String
}
