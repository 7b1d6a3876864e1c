/// Per-connection state, touched only by its event loop's thread.
///
/// Idle, it costs this object and its (shrunk) read buffer: no thread, no task.
final class Connection {
    let fd: Int32
    /// Distinguishes this connection from a later one that reuses the same descriptor number.
    let generation: UInt64
    let remoteAddress: String
    var parser: HTTPRequestParser

    /// Bytes queued for the socket; `outputOffset` of them are already written.
    var output: [UInt8] = []
    var outputOffset = 0

    /// A request was handed to a task and its response has not come back yet.
    var inFlight = false
    /// Close once the output has drained (error answers, `Connection: close`, shutdown).
    var closeAfterWrite = false
    /// The peer half-closed its side (read returned 0).
    var readClosed = false
    /// The write side was shut down after a final answer; remaining input is discarded.
    var lingering = false
    /// The epoll event mask currently registered.
    var interest: UInt32 = 0

    /// Monotonic time the current request's first byte arrived (0 when idle).
    var requestStart: UInt64 = 0
    /// Monotonic time the connection last became idle.
    var idleSince: UInt64
    /// Monotonic time the current output started draining.
    var writeStart: UInt64 = 0
    /// When a lingering close ends.
    var lingerUntil: UInt64 = 0
    /// The next instant something must happen, 0 for none; see `ConnectionTimeouts`.
    var deadline: UInt64 = 0

    /// Facts about the request in flight, for the response and the access log.
    var currentID = ""
    var currentMethod = ""
    var currentPath = ""
    var currentIsHead = false
    var currentKeepAlive = true
    var currentIsHTTP10 = false

    init(fd: Int32, generation: UInt64, remoteAddress: String, limits: HTTPRequestParser.Limits, now: UInt64) {
        self.fd = fd
        self.generation = generation
        self.remoteAddress = remoteAddress
        self.parser = HTTPRequestParser(limits: limits)
        self.idleSince = now
    }

    /// The phase that decides which timeout applies.
    var phase: ConnectionTimeouts.Phase {
        if lingering { return .lingering(until: lingerUntil) }
        if hasPendingOutput { return .writing(since: writeStart) }
        if inFlight { return .handling }
        if parser.isIdle { return .idle(since: idleSince) }
        return parser.isReadingBody ? .readingBody(since: requestStart) : .readingHead(since: requestStart)
    }

    /// Whether output is waiting for the socket to accept it.
    var hasPendingOutput: Bool { outputOffset < output.count }

    /// No request in progress in any direction: safe to close at shutdown or on idle timeout.
    var isIdle: Bool { !inFlight && !hasPendingOutput && parser.isIdle && !lingering }
}
