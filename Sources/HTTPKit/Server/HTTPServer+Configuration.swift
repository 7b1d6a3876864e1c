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

        /// The first out-of-range value, or nil when every limit and timeout is usable.
        var problem: String? {
            if !(0...65535).contains(port) { return "port must be 0...65535" }
            if backlog < 1 { return "backlog must be positive" }
            if eventLoopCount < 0 { return "eventLoopCount must be 0 (one per core) or more" }
            if maxRequestLineBytes < 16 { return "maxRequestLineBytes must be at least 16" }
            if maxHeaderBytes < 1 || maxHeaderCount < 1 { return "header limits must be positive" }
            if maxBodyBytes < 0 { return "maxBodyBytes must not be negative" }
            if maxConnections < 1 { return "maxConnections must be positive" }
            for timeout in [headerReadTimeout, requestTimeout, keepAliveTimeout, writeTimeout] where timeout <= .zero {
                return "timeouts must be positive"
            }
            return nil
        }

        /// Creates a configuration with the documented defaults.
        public init() {}

        /// Creates a configuration bound to `host`:`port`, with defaults otherwise.
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }
}
