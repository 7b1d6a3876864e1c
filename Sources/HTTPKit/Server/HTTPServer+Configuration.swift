extension HTTPServer {
    /// Everything tunable about the server; each limit names the status it produces.
    ///
    /// The defaults suit an authorization server behind nothing: small heads, small bodies,
    /// short timeouts. Docs/HTTP.md lists every key with its status.
    public struct Configuration: Sendable {
        /// The address to bind: an IPv4 or IPv6 literal, or `localhost`. Default `127.0.0.1`.
        public var host: String = "127.0.0.1"
        /// The TCP port; 0 picks a free port, reported by `HTTPServer.port`. Default 8080.
        public var port: Int = 8080
        /// The `listen(2)` backlog. Default 1024.
        public var backlog: Int32 = 1024
        /// The number of event-loop threads; 0 means one per available core. Default 0.
        public var eventLoopCount: Int = 0

        /// Longest request line in bytes; longer answers 414 URI Too Long. Default 8 KiB.
        public var maxRequestLineBytes: Int = 8 * 1024
        /// Most bytes of header field lines; more answers 431. Default 16 KiB.
        public var maxHeaderBytes: Int = 16 * 1024
        /// Most header field lines; more answers 431. Default 100.
        public var maxHeaderCount: Int = 100
        /// Largest request content (Content-Length, or the sum of chunks); larger answers 413
        /// before any of the content is read. Default 1 MiB.
        public var maxBodyBytes: Int = 1024 * 1024
        /// Most simultaneously open client connections; at the cap the server stops accepting
        /// (the kernel backlog holds new clients) until a connection closes. Default 10,000.
        public var maxConnections: Int = 10_000

        /// Time allowed from a request's first byte to the end of its header section; exceeded
        /// answers 408 and closes. Default 10 s.
        public var headerReadTimeout: Duration = .seconds(10)
        /// Time allowed from a request's first byte to the end of its content, however slowly the
        /// bytes trickle in; exceeded answers 408 and closes. Default 30 s.
        public var requestTimeout: Duration = .seconds(30)
        /// How long a keep-alive connection may sit idle between requests before it is closed
        /// silently. Default 30 s.
        public var keepAliveTimeout: Duration = .seconds(30)
        /// Time allowed for a response to drain to a slow reader; exceeded closes. Default 30 s.
        public var writeTimeout: Duration = .seconds(30)

        /// Receives one entry per answered request, on an event-loop thread: keep it quick.
        public var accessLog: (@Sendable (AccessLogEntry) -> Void)?

        /// Creates a configuration with the documented defaults.
        public init() {}

        /// Creates a configuration bound to `host`:`port`, with defaults otherwise.
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }
}

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
