/// The timeout policy of a connection as a pure function of its phase and a clock reading, so it
/// is unit-tested with made-up instants; the event loop only feeds it monotonic nanoseconds.
struct ConnectionTimeouts: Equatable {
    /// What a connection is doing, with the instant that phase's clock started.
    enum Phase: Equatable {
        /// Between requests, since the last response drained (or the accept).
        case idle(since: UInt64)
        /// Receiving a request head, since its first byte.
        case readingHead(since: UInt64)
        /// Receiving request content, since the request's first byte.
        case readingBody(since: UInt64)
        /// A handler is working on the request: no deadline (long polls are legitimate).
        case handling
        /// A response is waiting for the peer to read it, since the first blocked write.
        case writing(since: UInt64)
        /// Final answer sent, write side shut, discarding input until the deadline set then.
        case lingering(until: UInt64)
    }

    /// What to do when a phase's deadline passes.
    enum Expiry: Equatable {
        /// Close without a word (idle, slow reader, end of linger).
        case close
        /// Answer 408 Request Timeout, then close (RFC 9110 §15.5.9).
        case answerRequestTimeout
    }

    var headerRead: UInt64
    var request: UInt64
    var keepAlive: UInt64
    var write: UInt64
    /// How long to keep discarding input after a final answer.
    var linger: UInt64

    init(headerRead: UInt64, request: UInt64, keepAlive: UInt64, write: UInt64) {
        self.headerRead = headerRead
        self.request = request
        self.keepAlive = keepAlive
        self.write = write
        linger = min(keepAlive, 2_000_000_000)
    }

    init(_ configuration: HTTPServer.Configuration) {
        self.init(
            headerRead: Sys.nanos(configuration.headerReadTimeout), request: Sys.nanos(configuration.requestTimeout),
            keepAlive: Sys.nanos(configuration.keepAliveTimeout), write: Sys.nanos(configuration.writeTimeout))
    }

    /// The instant the phase expires, or nil for none.
    func deadline(for phase: Phase) -> UInt64? {
        switch phase {
        case .idle(let since): since &+ keepAlive
        // The head must also respect the whole-request deadline when that is the shorter one.
        case .readingHead(let since): since &+ min(headerRead, request)
        case .readingBody(let since): since &+ request
        case .handling: nil
        case .writing(let since): since &+ write
        case .lingering(let until): until
        }
    }

    /// The action once `deadline(for:)` has passed; nil while handling.
    static func expiry(for phase: Phase) -> Expiry? {
        switch phase {
        case .idle, .writing, .lingering: .close
        case .readingHead, .readingBody: .answerRequestTimeout
        case .handling: nil
        }
    }

    /// The sweep interval: a quarter of the shortest timeout, clamped to 10 ms…1 s, so a deadline
    /// is noticed at most that late without a timer per connection.
    var tick: UInt64 {
        min(max(min(headerRead, request, keepAlive, write) / 4, 10_000_000), 1_000_000_000)
    }
}
