import CBenchShims
import MissionCore

#if canImport(Glibc)
    import Glibc
#endif

/// One load thread: an epoll loop over its share of the connections (non-blocking sockets, TCP_NODELAY,
/// level-triggered), each connection a small state machine (`LoadConnection`). Requests are signed and written on
/// this thread the moment a connection is free (closed loop) or a request is due (open loop), so the generator
/// spends its CPU on the signature and the socket calls, not on task switches between threads.
///
/// Created and run on its own thread; nothing in it is shared except `LoadRunner.Plan`'s slot counter.
final class LoadLoop {
    private let plan: LoadRunner.Plan
    private let epollFD: Int32
    private var encoder: SignedRequestEncoder
    private let signer: LoadSigner
    private var connections: [LoadConnection] = []
    /// Connections with no request in flight, waiting for `dispatch`.
    private var idle: [LoadConnection] = []
    private var doneCount = 0
    private var tally = LoadTally()
    /// Open loop: the next request number this thread claimed, and when it is due.
    private var pending: (sequence: Int, due: UInt64)?
    /// Open loop: the schedule passed the end of the window; no further request starts.
    private var scheduleOver = false

    private static let eventCapacity = 256
    private static let readChunk = 16 * 1024

    /// A loop over the connections numbered `workers`; takes ownership of `epollFD` (closed even when this throws).
    init(plan: LoadRunner.Plan, workers: [Int], encoder: SignedRequestEncoder, epollFD: Int32) throws(BenchError) {
        do { signer = try LoadSigner(agents: plan.agents) } catch {
            close(epollFD)
            throw error
        }
        self.plan = plan
        self.epollFD = epollFD
        self.encoder = encoder
        for (slot, worker) in workers.enumerated() {
            let connection = LoadConnection(
                worker: worker, agent: plan.agents[worker % plan.agents.count], slot: slot,
                bufferBytes: Self.readChunk * 2)
            connections.append(connection)
            idle.append(connection)
        }
    }

    deinit { close(epollFD) }

    /// Runs until this thread's connections are done; what they recorded in the measured window.
    func run() -> LoadRunner.Outcome {
        let events = UnsafeMutableRawBufferPointer.allocate(
            byteCount: Self.eventCapacity * Int(cbench_epoll_event_size()), alignment: 8)
        defer { events.deallocate() }
        while doneCount < connections.count {
            dispatch()
            if doneCount == connections.count { break }
            let count = cbench_epoll_wait(epollFD, events.baseAddress, Int32(Self.eventCapacity), waitNanoseconds())
            if count < 0 {
                if errno == EINTR { continue }
                // The epoll descriptor itself failed: nothing more can be measured; end every connection.
                for connection in connections where connection.phase != .done { closeSocket(connection) }
                break
            }
            for index in 0..<Int(count) {
                let slot = Int(cbench_epoll_event_data(events.baseAddress, Int32(index)))
                guard slot < connections.count else { continue }
                handle(connections[slot], mask: cbench_epoll_event_mask(events.baseAddress, Int32(index)))
            }
        }
        return tally.outcome
    }

    // MARK: - Scheduling

    /// Starts requests on idle connections: at once in a closed loop, as they fall due in an open loop. Each
    /// connection present on entry is considered once, so a connection whose request fails at once (the server
    /// refuses connections) waits for the next turn of the loop instead of spinning here.
    private func dispatch() {
        var turns = idle.count
        while turns > 0, let connection = idle.popLast() {
            turns -= 1
            let now = MonotonicClock.nanoseconds()
            if let rate = plan.rate {
                if pending == nil && !scheduleOver {
                    let sequence = plan.slots.next()
                    let due = plan.start + UInt64(Double(sequence) * 1e9 / rate)
                    if due >= plan.end { scheduleOver = true } else { pending = (sequence, due) }
                }
                guard let next = pending else {
                    retire(connection)
                    continue
                }
                guard next.due <= now else {
                    idle.append(connection)
                    return
                }
                pending = nil
                begin(connection, sequence: next.sequence, due: next.due)
            } else {
                guard now < plan.end else {
                    retire(connection)
                    continue
                }
                begin(connection, sequence: connection.worker + connection.number * plan.connections, due: now)
            }
        }
    }

    /// How long epoll may wait: not at all while a connection waits for its turn, until the pending request is
    /// due in an open loop, else until an event (capped, so the loop rechecks the window now and then).
    private func waitNanoseconds() -> Int64 {
        if idle.isEmpty { return 1_000_000_000 }
        guard plan.rate != nil, let next = pending else { return 0 }
        let now = MonotonicClock.nanoseconds()
        return next.due > now ? Int64(next.due - now) : 0
    }

    private func retire(_ connection: LoadConnection) {
        closeSocket(connection)
        connection.phase = .done
        doneCount += 1
    }

    // MARK: - One request

    private func begin(_ connection: LoadConnection, sequence: Int, due: UInt64) {
        connection.number += 1
        connection.kind = plan.scenario.kind(forSequence: sequence)
        connection.due = due
        connection.measured = due >= plan.measureFrom
        connection.polling = false
        connection.retried = false
        do {
            switch connection.kind {
            case .controlList: replace(&connection.out, with: connection.agent.controlList)
            case .controlAudit: replace(&connection.out, with: connection.agent.controlAudit)
            default:
                try encoder.writeSigned(
                    connection.kind, agent: connection.agent, signer: signer, worker: connection.worker,
                    number: connection.number, created: Int64(time(nil)), into: &connection.out)
            }
        } catch {
            finish(connection, status: 0)
            return
        }
        send(connection)
    }

    private func replace(_ buffer: inout [UInt8], with bytes: [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: bytes)
    }

    /// Sends `connection.out`, connecting first when the connection has no socket.
    private func send(_ connection: LoadConnection) {
        connection.written = 0
        connection.responseStarted = false
        if connection.fd < 0 {
            open(connection)
        } else {
            connection.reused = true
            connection.phase = .writing
            flush(connection)
        }
    }

    /// Records the request (when measured) and hands the connection back to the scheduler.
    private func finish(_ connection: LoadConnection, status: Int) {
        if connection.measured {
            let now = MonotonicClock.nanoseconds()
            tally.record(
                connection.kind, status: status, nanoseconds: now > connection.due ? now - connection.due : 0)
        }
        connection.phase = .idle
        idle.append(connection)
    }

    /// A transport failure or a malformed response: `io`, and the connection starts over on a new socket.
    private func fail(_ connection: LoadConnection) {
        closeSocket(connection)
        finish(connection, status: 0)
    }

    /// The peer closed or reset the connection before a whole response arrived. On a reused connection with no
    /// response byte yet, an idempotent request is sent once more on a new one (the server may have dropped the
    /// idle connection just as the request went out); anything else is a failure.
    private func lost(_ connection: LoadConnection) {
        if connection.reused && !connection.responseStarted && connection.isIdempotent && !connection.retried {
            connection.retried = true
            closeSocket(connection)
            send(connection)
        } else {
            fail(connection)
        }
    }

    // MARK: - Events

    private func handle(_ connection: LoadConnection, mask: UInt32) {
        let trouble = EPOLLERR.rawValue | EPOLLHUP.rawValue
        switch connection.phase {
        case .connecting:
            guard mask & (EPOLLOUT.rawValue | trouble) != 0 else { return }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0, error == 0 else {
                fail(connection)
                return
            }
            connection.phase = .writing
            flush(connection)
        case .writing:
            flush(connection)
            if connection.phase == .reading {
                if mask & (EPOLLIN.rawValue | trouble) != 0 { receive(connection) }
            } else if connection.phase == .writing && mask & (EPOLLIN.rawValue | trouble) != 0 {
                // The server answered or hung up before taking the whole request.
                lost(connection)
            }
        case .reading:
            receive(connection)
        case .idle:
            // An idle keep-alive socket became readable: the server closed it (or sent what nobody asked for).
            // Closing it stops the level-triggered event from repeating; the next request opens a new one.
            closeSocket(connection)
        case .done:
            return
        }
    }

    private func flush(_ connection: LoadConnection) {
        let fd = connection.fd
        while connection.written < connection.out.count {
            let offset = connection.written
            let sent = connection.out.withUnsafeBytes { bytes -> Int in
                guard let base = bytes.baseAddress else { return 0 }
                return Glibc.send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                connection.written += sent
            } else if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                arm(connection, write: true)
                return
            } else if sent < 0 && errno == EINTR {
                continue
            } else {
                lost(connection)
                return
            }
        }
        connection.phase = .reading
        arm(connection, write: false)
    }

    private func receive(_ connection: LoadConnection) {
        if connection.input.count - connection.filled < Self.readChunk {
            guard connection.input.count < ResponseParser.maxHeadBytes + ResponseParser.maxBodyBytes else {
                fail(connection)
                return
            }
            connection.input.append(contentsOf: repeatElement(0, count: connection.input.count))
        }
        let (fd, filled) = (connection.fd, connection.filled)
        let received = connection.input.withUnsafeMutableBytes { bytes -> Int in
            guard let base = bytes.baseAddress else { return 0 }
            return recv(fd, base + filled, bytes.count - filled, 0)
        }
        if received > 0 {
            connection.filled += received
            connection.responseStarted = true
            process(connection)
        } else if received == 0 {
            lost(connection)
        } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
            lost(connection)
        }
    }

    /// Parses what arrived; acts once a whole response is there.
    private func process(_ connection: LoadConnection) {
        while true {
            let head: ResponseParser.Head
            if let parsed = connection.head {
                head = parsed
            } else {
                let found = connection.input.withUnsafeBufferPointer {
                    bytes -> Result<ResponseParser.Head, ResponseParser.ResponseError>? in
                    let received = UnsafeBufferPointer(rebasing: bytes[0..<connection.filled])
                    guard let end = ResponseParser.headEnd(in: received, from: connection.scanned - 3) else {
                        return nil
                    }
                    return Result { () throws(ResponseParser.ResponseError) in
                        try ResponseParser.parseHead(UnsafeBufferPointer(rebasing: received[0..<end]))
                    }
                }
                switch found {
                case nil:
                    connection.scanned = connection.filled
                    if connection.filled > ResponseParser.maxHeadBytes { fail(connection) }
                    return
                case .failure?:
                    fail(connection)
                    return
                case .success(let parsed)?:
                    head = parsed
                }
                if head.isInterim {
                    // Drop the interim response; the final one follows (RFC 9110 §15.2).
                    connection.input.withUnsafeMutableBytes { bytes in
                        guard let base = bytes.baseAddress else { return }
                        memmove(base, base + head.headLength, connection.filled - head.headLength)
                    }
                    connection.filled -= head.headLength
                    connection.scanned = 0
                    continue
                }
                connection.head = head
            }
            guard connection.filled >= head.totalLength else { return }
            // Nothing was asked for beyond this response: more bytes mean the framing is broken.
            guard connection.filled == head.totalLength else {
                fail(connection)
                return
            }
            complete(connection, head: head)
            return
        }
    }

    private func complete(_ connection: LoadConnection, head: ResponseParser.Head) {
        connection.filled = 0
        connection.scanned = 0
        connection.head = nil
        if connection.kind == .proposeDeferred && !connection.polling && head.status == 202,
            let location = head.location
        {
            // Poll the pending URL on the same connection; the pair counts as one request.
            guard isOriginTarget(connection.input[location]) else {
                fail(connection)
                return
            }
            let target = Array(connection.input[location])
            if head.closes { closeSocket(connection) }
            connection.polling = true
            connection.retried = false
            do {
                let nonce = Array(Base64URL.encode(SecureRandom.bytes(count: 12)).utf8)
                try encoder.writePoll(
                    target: target, agent: connection.agent, signer: signer, created: Int64(time(nil)), nonce: nonce,
                    into: &connection.out)
            } catch {
                fail(connection)
                return
            }
            send(connection)
            return
        }
        if head.closes { closeSocket(connection) }
        finish(connection, status: head.status)
    }

    /// An origin-form target (RFC 9112 §3.2.1) of request-target characters only, as HTTPClient would send it.
    private func isOriginTarget(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.first == UInt8(ascii: "/") else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "!"),
                UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="),
                UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "%"):
                true
            default: false
            }
        }
    }

    // MARK: - Sockets

    /// Opens a non-blocking socket and starts connecting; the request goes out when it is writable.
    private func open(_ connection: LoadConnection) {
        let address = plan.address
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(address.family, type, 0)
        guard fd >= 0 else {
            fail(connection)
            return
        }
        var one: Int32 = 1
        // TCP_NODELAY: a request goes out at once instead of waiting for Nagle's algorithm.
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let result = address.bytes.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.baseAddress else { return -1 }
            return connect(fd, base.assumingMemoryBound(to: sockaddr.self), address.length)
        }
        guard result == 0 || errno == EINPROGRESS,
            cbench_epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, EPOLLIN.rawValue | EPOLLOUT.rawValue, UInt64(connection.slot))
                == 0
        else {
            close(fd)
            fail(connection)
            return
        }
        connection.fd = fd
        connection.wantsWrite = true
        connection.reused = false
        connection.phase = .connecting
    }

    private func arm(_ connection: LoadConnection, write: Bool) {
        guard connection.wantsWrite != write else { return }
        let events = write ? EPOLLIN.rawValue | EPOLLOUT.rawValue : EPOLLIN.rawValue
        if cbench_epoll_ctl(epollFD, EPOLL_CTL_MOD, connection.fd, events, UInt64(connection.slot)) == 0 {
            connection.wantsWrite = write
        }
    }

    /// Closes the connection's socket (closing removes it from the epoll set) and forgets any partial response.
    private func closeSocket(_ connection: LoadConnection) {
        if connection.fd >= 0 { close(connection.fd) }
        connection.fd = -1
        connection.wantsWrite = false
        connection.filled = 0
        connection.scanned = 0
        connection.head = nil
    }
}
