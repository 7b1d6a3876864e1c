/// One keep-alive connection of a load thread and the request it is working on: write the request's bytes, read
/// the response, then (for a deferred proposal answered 202) the poll, then record.
///
/// Owned by exactly one `LoadLoop` and only touched on its thread.
final class LoadConnection {
    enum Phase {
        /// No request in flight: waiting for the loop to start the next one (or for the schedule to end).
        case idle
        /// A non-blocking connect is in progress; the request is ready in `out`.
        case connecting
        /// Part of `out` is still to be sent.
        case writing
        /// The request is sent; collecting the response in `input`.
        case reading
        /// The run is over for this connection; its socket is closed.
        case done
    }

    /// The connection's number in the whole run (bodies carry `worker-number` serials, as before).
    let worker: Int
    let agent: LoadAgent
    /// Index in the loop's connection list, the epoll user data.
    let slot: Int

    var phase = Phase.idle
    var fd: Int32 = -1
    /// EPOLLOUT is armed (only while connecting or a write is incomplete).
    var wantsWrite = false
    /// The socket already carried an earlier exchange (a close before any response byte may then be the server
    /// dropping an idle connection, and an idempotent request is retried once, as HTTPClient does).
    var reused = false

    /// The request on the wire, and how much of it was sent.
    var out: [UInt8] = []
    var written = 0

    /// Received bytes: `input[0..<filled]`; `scanned` bytes were already searched for the end of the head.
    var input: [UInt8]
    var filled = 0
    var scanned = 0
    /// The parsed head while the body is still arriving.
    var head: ResponseParser.Head?
    var responseStarted = false
    var retried = false

    /// Requests begun on this connection (the `number` of the serial).
    var number = 0
    var kind = RequestKind.grant
    /// When the request was due (closed loop: when it began), CLOCK_MONOTONIC nanoseconds.
    var due: UInt64 = 0
    var measured = false
    /// The current exchange is the poll that follows a deferred proposal.
    var polling = false

    init(worker: Int, agent: LoadAgent, slot: Int, bufferBytes: Int) {
        self.worker = worker
        self.agent = agent
        self.slot = slot
        input = [UInt8](repeating: 0, count: bufferBytes)
        out.reserveCapacity(2048)
    }

    /// The request may be sent twice without changing anything on the server (RFC 9110 §9.2.2): the admin reads
    /// and the polls, which are GETs.
    var isIdempotent: Bool { polling || kind == .controlList || kind == .controlAudit }
}
