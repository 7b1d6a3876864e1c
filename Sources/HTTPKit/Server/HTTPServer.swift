import Synchronization

/// An HTTP/1.1 server on non-blocking POSIX sockets driven by epoll event loops.
///
/// ```swift
/// var router = Router()
/// router.get("/hello") { _, _ in .text("hello") }
/// var config = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
/// let server = HTTPServer(configuration: config, responder: router)
/// try server.start()            // binds, listens, starts the loops, returns
/// print(server.port)            // the bound port
/// await server.shutdown(gracePeriod: .seconds(10))
/// ```
public final class HTTPServer: Sendable {
    /// The configuration the server was created with.
    public let configuration: Configuration
    let responder: any HTTPResponder
    let state = LockedValue(State())

    struct State {
        var phase: Phase = .idle
        var listener: Int32 = -1
        var port: Int = 0
        var loops: [EventLoop] = []
        var context: ServerContext?
    }

    enum Phase { case idle, running, stopping, stopped }

    /// Creates a server; nothing is bound until `start()`.
    public init(configuration: Configuration = Configuration(), responder: some HTTPResponder) {
        self.configuration = configuration
        self.responder = responder
    }

    /// The bound TCP port (the real one when configured with port 0); 0 before `start()`.
    public var port: Int { state.withLock { $0.port } }

    /// Client connections currently open across all loops, read-only (0 before `start()`); a relaxed snapshot,
    /// meant for gauges and tests.
    public var openConnectionCount: Int {
        state.withLock { $0.context?.openConnections.load(ordering: .relaxed) ?? 0 }
    }
}
