import Synchronization

/// What every event loop of one server shares: immutable settings plus one atomic counter.
final class ServerContext: Sendable {
    let configuration: HTTPServer.Configuration
    let responder: any HTTPResponder
    /// Open client connections across all loops, for `maxConnections`.
    let openConnections = Atomic<Int>(0)
    /// The acceptor stopped watching the listener because `maxConnections` was reached.
    let acceptPaused = Atomic<Bool>(false)

    init(configuration: HTTPServer.Configuration, responder: any HTTPResponder) {
        self.configuration = configuration
        self.responder = responder
    }
}
