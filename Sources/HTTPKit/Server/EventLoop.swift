#if canImport(Glibc)
import Glibc
#endif
import CSystemShims
import Foundation
import Synchronization

/// Process-wide request counter behind `HTTPRequest.id`.
private let requestCounter = Atomic<UInt64>(0)

/// One epoll instance and the connections it owns, run on its own thread, which is also the task
/// executor of the handlers of its requests.
///
/// Handlers run here (`Task(executorPreference:)`), not on the shared cooperative pool: a request
/// then costs no thread hand-off to start and none to answer (the loop sends the response as the
/// handler returns). A handler that suspends (a database commit, a long poll) resumes through the
/// inbox like any other cross-thread message. Handlers must not block the thread for long; CPU work
/// of a request (signature checks, token signing) is what the loop is for, as in any event-loop
/// server. Jobs enqueued once the loop has exited go to the global concurrent executor.
///
/// Ownership: this loop is the only code that closes its connections' descriptors and its epoll
/// descriptor. Other threads talk to it only through `inbox` (a mutex-protected queue) and the
/// eventfd. The eventfd is written after the lock is released (writing it under the lock let the
/// woken loop preempt the writer and then block on that same lock), so it is closed only in
/// `deinit`: every writer holds a strong reference to the loop, so a late write can never reach a
/// reused descriptor number.
final class EventLoop: TaskExecutor, @unchecked Sendable {
    // @unchecked: every stored `var` below `inbox` is confined to the loop thread; `inbox` is a
    // LockedValue and the rest are immutable after init.
    private static let wakeToken: UInt64 = UInt64.max
    private static let listenerToken: UInt64 = UInt64.max - 1
    /// Most bytes read ahead behind a request in flight or a backlogged output, and most unsent
    /// output before parsing pauses.
    private static let pipelineBufferLimit = 64 * 1024

    private struct Inbox {
        var completions: [(fd: Int32, generation: UInt64, response: HTTPResponse)] = []
        /// Task jobs enqueued from other threads (resumptions after a suspension).
        var jobs: [UnownedJob] = []
        var adopted: [(fd: Int32, remoteAddress: String)] = []
        var resumeAccepting = false
        var shutdownDeadline: UInt64?
        var signaled = false
        var closed = false
    }

    let index: Int
    private let context: ServerContext
    private let epollFD: Int32
    private let wakeFD: Int32
    /// The listening socket, watched only by loop 0 (the acceptor); -1 elsewhere.
    private let listenerFD: Int32
    /// Every loop of the server (including this one), for round-robin hand-off of new clients.
    private var siblings: [EventLoop] = []
    private var nextSibling = 0
    private let inbox = LockedValue(Inbox())
    private let exit = LockedValue<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    private var connections: [Connection?] = []
    /// Completions taken out of the inbox, processed outside the lock.
    private var drained: [(fd: Int32, generation: UInt64, response: HTTPResponse)] = []
    /// Jobs to run on this thread before the next wait, and the batch being run (swapped, so a job
    /// that enqueues another one appends to the next batch without reallocating).
    private var readyJobs: [UnownedJob] = []
    private var runningJobs: [UnownedJob] = []
    /// The loop thread's `pthread_self()`, 0 until it starts: lets `enqueue` and `complete` skip
    /// the lock and the eventfd when called on the loop itself.
    private let loopThread = Atomic<UInt>(0)
    private var connectionCount = 0
    private var nextGeneration: UInt64 = 1
    private var listening = false
    private var stopping = false
    private var graceDeadline: UInt64 = 0
    private var date = HTTPDate()
    private var scratch: UnsafeMutableRawBufferPointer
    private let tickNanos: UInt64
    private let timeouts: ConnectionTimeouts
    private var nextTick: UInt64 = 0
    private let limits: HTTPRequestParser.Limits

    init(index: Int, context: ServerContext, listenerFD: Int32) throws(SocketError) {
        self.index = index
        self.context = context
        self.listenerFD = listenerFD
        let epollFD = Epoll.create()
        guard epollFD >= 0 else { throw .system(call: "epoll_create1", errno: errno) }
        let wakeFD = Epoll.makeEventFD()
        guard wakeFD >= 0 else {
            let code = errno
            Glibc.close(epollFD)
            throw .system(call: "eventfd", errno: code)
        }
        self.epollFD = epollFD
        self.wakeFD = wakeFD
        scratch = .allocate(byteCount: 64 * 1024, alignment: 16)
        let config = context.configuration
        limits = HTTPRequestParser.Limits(
            maxRequestLineBytes: config.maxRequestLineBytes, maxHeaderBytes: config.maxHeaderBytes,
            maxHeaderCount: config.maxHeaderCount, maxBodyBytes: config.maxBodyBytes)
        // Deadlines are checked on a tick a fraction of the shortest timeout: no timer per connection.
        timeouts = ConnectionTimeouts(config)
        tickNanos = timeouts.tick
        guard Sys.epollControl(epollFD, Epoll.ctlAdd, wakeFD, events: Sys.epollIn, data: Self.wakeToken) == 0 else {
            let code = errno
            // Every stored property is set, so throwing now still runs deinit, which frees
            // `scratch` and closes the eventfd; only the epoll descriptor is left to close here.
            Glibc.close(epollFD)
            throw .system(call: "epoll_ctl", errno: code)
        }
    }

    deinit {
        scratch.deallocate()
        Glibc.close(wakeFD)
    }

    /// Tells the loop about its siblings; called once before any loop starts.
    func setSiblings(_ loops: [EventLoop]) {
        siblings = loops
    }

    // MARK: - Cross-thread entry points

    /// Hands a finished response back to the loop (called from the handler's task): sent at once
    /// when the handler ran on this loop, else queued in the inbox.
    func complete(fd: Int32, generation: UInt64, response: HTTPResponse) {
        if isLoopThread {
            deliver(fd: fd, generation: generation, response: response, now: Sys.monotonicNanos())
            return
        }
        let wake = inbox.withLock { inbox -> Bool in
            guard !inbox.closed else { return false }
            inbox.completions.append((fd, generation, response))
            return Self.claimSignal(&inbox)
        }
        if wake { wakeUp() }
    }

    /// `TaskExecutor`: runs `job` on the loop thread before its next wait.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if isLoopThread {
            readyJobs.append(job)
            return
        }
        let (accepted, wake) = inbox.withLock { inbox -> (Bool, Bool) in
            guard !inbox.closed else { return (false, false) }
            inbox.jobs.append(job)
            return (true, Self.claimSignal(&inbox))
        }
        if wake { wakeUp() }
        if !accepted { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
    }

    private var isLoopThread: Bool {
        let current = UInt(pthread_self())
        return loopThread.load(ordering: .relaxed) == current
    }

    /// Starts a graceful stop: no new connections, idle ones closed, the rest closed by `deadline`.
    func beginShutdown(deadline: UInt64) {
        let wake = inbox.withLock { inbox -> Bool in
            guard !inbox.closed else { return false }
            inbox.shutdownDeadline = deadline
            return Self.claimSignal(&inbox)
        }
        if wake { wakeUp() }
    }

    /// Takes ownership of an accepted socket; false if the loop has exited (the caller closes it).
    func adopt(fd: Int32, remoteAddress: String) -> Bool {
        let (adopted, wake) = inbox.withLock { inbox -> (Bool, Bool) in
            guard !inbox.closed else { return (false, false) }
            inbox.adopted.append((fd, remoteAddress))
            return (true, Self.claimSignal(&inbox))
        }
        if wake { wakeUp() }
        return adopted
    }

    /// Asks the acceptor loop to re-check the connection cap now (a sibling closed a connection).
    func requestAcceptResume() {
        let wake = inbox.withLock { inbox -> Bool in
            guard !inbox.closed else { return false }
            inbox.resumeAccepting = true
            return Self.claimSignal(&inbox)
        }
        if wake { wakeUp() }
    }

    /// Waits until the loop thread has finished and released its descriptors.
    func waitUntilExited() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = exit.withLock { state -> Bool in
                if state.done { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Under the inbox lock: true for the one caller per batch that must write the eventfd
    /// (after unlocking); the loop clears `signaled` when it drains.
    private static func claimSignal(_ inbox: inout Inbox) -> Bool {
        if inbox.signaled { return false }
        inbox.signaled = true
        return true
    }

    private func wakeUp() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    // MARK: - The loop

    /// Starts the loop's thread.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "HTTPKit.EventLoop.\(index)"
        thread.stackSize = 1 << 20
        thread.start()
    }

    private func run() {
        loopThread.store(UInt(pthread_self()), ordering: .relaxed)
        startListening()
        let events = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * Epoll.eventSize, alignment: 8)
        defer { events.deallocate() }
        nextTick = Sys.monotonicNanos() &+ tickNanos
        while true {
            let now = Sys.monotonicNanos()
            let timeout =
                now >= nextTick || !readyJobs.isEmpty ? 0 : Int32(min((nextTick - now) / 1_000_000 + 1, 1000))
            let count = Epoll.wait(epollFD, buffer: events, timeoutMillis: timeout)
            if count < 0 && errno != EINTR { break }
            var i = 0
            while i < Int(max(count, 0)) {
                let event = Epoll.event(at: i, in: events)
                i += 1
                switch event.data {
                case Self.wakeToken: drainInbox()
                case Self.listenerToken: acceptClients()
                default: handle(fd: Int32(truncatingIfNeeded: event.data), events: event.events)
                }
            }
            runReadyJobs()
            let after = Sys.monotonicNanos()
            if after >= nextTick {
                nextTick = after &+ tickNanos
                sweepDeadlines(now: after)
                resumeListeningIfPossible()
            }
            if stopping && (connectionCount == 0 || after >= graceDeadline) { break }
        }
        finish()
    }

    private func finish() {
        for case let connection? in connections { close(connection) }
        stopListening()
        let stranded = inbox.withLock { inbox -> [UnownedJob] in
            inbox.closed = true
            inbox.completions = []
            defer { inbox.jobs = [] }
            // Sockets handed over but never registered are still ours to close.
            for newcomer in inbox.adopted {
                Glibc.close(newcomer.fd)
                context.openConnections.subtract(1, ordering: .relaxed)
            }
            inbox.adopted = []
            // The eventfd stays open until deinit (see the type's comment).
            return inbox.jobs
        }
        // Tasks still waiting to run must run somewhere (their responses go nowhere now, but they
        // may hold resources or be awaited by others); `enqueue` forwards later ones the same way.
        for job in readyJobs + stranded { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
        readyJobs = []
        loopThread.store(0, ordering: .relaxed)
        Glibc.close(epollFD)
        let waiters = exit.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.done = true
            defer { state.waiters = [] }
            return state.waiters
        }
        siblings = []  // break the loops' reference cycle
        for waiter in waiters { waiter.resume() }
    }

    // MARK: - Accepting

    private func startListening() {
        guard listenerFD >= 0, !listening, !stopping else { return }
        if Sys.epollControl(epollFD, Epoll.ctlAdd, listenerFD, events: Sys.epollIn, data: Self.listenerToken) == 0 {
            listening = true
            context.acceptPaused.store(false, ordering: .relaxed)
        }
    }

    private func stopListening() {
        guard listening else { return }
        _ = Sys.epollControl(epollFD, Epoll.ctlDel, listenerFD, events: 0, data: 0)
        listening = false
    }

    private func resumeListeningIfPossible() {
        if !listening && !stopping && context.openConnections.load(ordering: .relaxed) < context.configuration.maxConnections {
            startListening()
        }
    }

    private func acceptClients() {
        var accepted = 0
        while accepted < 64 {
            // At the cap, stop watching the listener: the kernel backlog holds new clients until a
            // connection closes (documented choice; no accept-and-503 churn).
            guard context.openConnections.load(ordering: .relaxed) < context.configuration.maxConnections else {
                stopListening()
                context.acceptPaused.store(true, ordering: .relaxed)
                return
            }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = Epoll.accept(listenerFD, &storage, &length)
            if fd < 0 {
                // EAGAIN: another loop took it or the queue is empty. EMFILE/ENFILE: out of
                // descriptors; stop watching the listener (level-triggered, it would wake us in a busy
                // loop) and mark accepting paused, so a close on any loop resumes it at once; the
                // tick retries in any case.
                if errno == EMFILE || errno == ENFILE {
                    stopListening()
                    context.acceptPaused.store(true, ordering: .relaxed)
                }
                return
            }
            accepted += 1
            context.openConnections.add(1, ordering: .relaxed)
            Sys.setNoDelay(fd)
            let remoteAddress = Sys.describe(&storage)
            // Round-robin over the loops spreads connections evenly across cores.
            let target = siblings.isEmpty ? self : siblings[nextSibling % siblings.count]
            nextSibling &+= 1
            if target === self {
                register(fd: fd, remoteAddress: remoteAddress)
            } else if !target.adopt(fd: fd, remoteAddress: remoteAddress) {
                Glibc.close(fd)
                context.openConnections.subtract(1, ordering: .relaxed)
            }
        }
    }

    /// Starts watching an accepted socket this loop now owns.
    private func register(fd: Int32, remoteAddress: String) {
        let now = Sys.monotonicNanos()
        if stopping {
            Glibc.close(fd)
            context.openConnections.subtract(1, ordering: .relaxed)
            return
        }
        let connection = Connection(fd: fd, generation: nextGeneration, remoteAddress: remoteAddress, limits: limits, now: now)
        nextGeneration += 1
        connection.interest = Sys.epollIn | Sys.epollRdHup
        guard Sys.epollControl(epollFD, Epoll.ctlAdd, fd, events: connection.interest, data: UInt64(fd)) == 0 else {
            Glibc.close(fd)
            context.openConnections.subtract(1, ordering: .relaxed)
            return
        }
        if Int(fd) >= connections.count {
            connections.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - connections.count))
        }
        connections[Int(fd)] = connection
        connectionCount += 1
        updateDeadline(connection, now: now)
    }

    // MARK: - Connection events

    private func handle(fd: Int32, events: UInt32) {
        guard Int(fd) < connections.count, let connection = connections[Int(fd)] else { return }
        if events & (Sys.epollOut | Sys.epollErr | Sys.epollHup) != 0 && connection.hasPendingOutput {
            flush(connection)
            if connections[Int(fd)] !== connection { return }
            if !connection.hasPendingOutput && !connection.inFlight && !connection.closeAfterWrite {
                // Parsing paused while the peer was not reading; resume with what is buffered.
                processInput(connection, now: Sys.monotonicNanos())
                if connections[Int(fd)] !== connection { return }
            }
        }
        if events & (Sys.epollIn | Sys.epollRdHup | Sys.epollErr | Sys.epollHup) != 0 {
            readAvailable(connection, hangUp: events & Sys.epollHup != 0)
        }
    }

    /// One `recv` per readiness event (level-triggered epoll calls again if more is waiting),
    /// which keeps one busy client from starving the others.
    private func readAvailable(_ connection: Connection, hangUp: Bool) {
        if connection.readClosed {
            // Both directions are gone; nobody will read a response.
            if hangUp { close(connection) }
            return
        }
        let n = recv(connection.fd, scratch.baseAddress, scratch.count, 0)
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
            close(connection)
            return
        }
        if n == 0 {
            connection.readClosed = true
            if connection.lingering || connection.isIdle || !connection.inFlight && !connection.hasPendingOutput {
                // An idle close, or a request cut off mid-way: nothing to answer.
                close(connection)
                return
            }
            setInterest(connection, connection.hasPendingOutput ? Sys.epollOut : 0)
            return
        }
        if connection.lingering { return }  // discarding input after a final answer
        let now = Sys.monotonicNanos()
        if connection.parser.isIdle { connection.requestStart = now }
        connection.parser.append(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
        if connection.inFlight || outputIsBacklogged(connection) {
            // Pipelined bytes behind a request in flight wait in the buffer, up to a bound.
            updateInterest(connection)
            return
        }
        processInput(connection, now: now)
    }

    /// Parses buffered input and dispatches at most one request at a time per connection, so
    /// pipelined responses leave in request order without a reorder buffer.
    private func processInput(_ connection: Connection, now: UInt64) {
        // A peer that pipelines requests without reading answers gets no more parsed until it reads.
        while !connection.inFlight && !connection.closeAfterWrite && !outputIsBacklogged(connection) {
            let event: HTTPRequestParser.Event?
            do {
                event = try connection.parser.next()
            } catch {
                answerError(connection, error, now: now)
                return
            }
            switch event {
            case nil:
                if connection.readClosed {
                    // The peer sent all it will; whatever is left is an incomplete request.
                    if connection.hasPendingOutput { connection.closeAfterWrite = true } else { close(connection) }
                    return
                }
                if connection.parser.isIdle {
                    connection.requestStart = 0
                    connection.parser.shrinkIfIdle()
                } else if connection.requestStart == 0 {
                    connection.requestStart = now
                }
                updateInterest(connection)
                updateDeadline(connection, now: now)
                return
            case .continueExpected:
                // RFC 9110 §10.1.1: the client waits for this before sending the content.
                connection.output.append(contentsOf: "HTTP/1.1 100 Continue\r\n\r\n".utf8)
                flush(connection)
                if connections[Int(connection.fd)] !== connection { return }
            case .request(var request):
                dispatch(connection, &request, now: now)
            }
        }
        if connections[Int(connection.fd)] === connection { updateInterest(connection) }
    }

    private func dispatch(_ connection: Connection, _ request: inout HTTPRequest, now: UInt64) {
        let id = String(requestCounter.add(1, ordering: .relaxed).newValue, radix: 16)
        request.id = id
        request.remoteAddress = connection.remoteAddress
        connection.inFlight = true
        connection.currentID = id
        connection.currentMethod = request.method.rawValue
        connection.currentPath = request.path
        connection.currentIsHead = request.method == .head
        connection.currentIsHTTP10 = request.version == .http1_0
        connection.currentKeepAlive = request.wantsKeepAlive && !stopping
        if connection.requestStart == 0 { connection.requestStart = now }
        updateInterest(connection)
        updateDeadline(connection, now: now)
        let fd = connection.fd
        let generation = connection.generation
        let responder = context.responder
        let request = request
        // The handler runs on this loop (see the type's comment). High priority still matters for
        // what it awaits elsewhere (e.g. an actor on the shared pool): a request is someone
        // waiting on a socket and goes ahead of background work.
        Task(executorPreference: self, priority: .high) { [self] in
            let response = await responder.respond(to: request)
            complete(fd: fd, generation: generation, response: response)
        }
    }

    private func drainInbox() {
        var value: UInt64 = 0
        _ = read(wakeFD, &value, 8)
        // Swap the completion array with a loop-owned one: no copy and no allocation per wake-up.
        let (adopted, resumeAccepting, shutdownDeadline) = inbox.withLock { inbox in
            inbox.signaled = false
            swap(&inbox.completions, &drained)
            readyJobs.append(contentsOf: inbox.jobs)
            inbox.jobs.removeAll(keepingCapacity: true)
            defer {
                inbox.adopted.removeAll()
                inbox.resumeAccepting = false
                inbox.shutdownDeadline = nil
            }
            return (inbox.adopted, inbox.resumeAccepting, inbox.shutdownDeadline)
        }
        defer { drained.removeAll(keepingCapacity: true) }
        for newcomer in adopted { register(fd: newcomer.fd, remoteAddress: newcomer.remoteAddress) }
        if resumeAccepting { resumeListeningIfPossible() }
        let now = Sys.monotonicNanos()
        // Shutdown first: a response drained together with the shutdown message must already say
        // `Connection: close` (it was completed after the shutdown began).
        if let deadline = shutdownDeadline, !stopping { enterShutdown(deadline: deadline) }
        for completion in drained {
            deliver(fd: completion.fd, generation: completion.generation, response: completion.response, now: now)
        }
    }

    /// Sends a handler's response, unless its client went away meanwhile.
    private func deliver(fd: Int32, generation: UInt64, response: HTTPResponse, now: UInt64) {
        guard Int(fd) < connections.count, let connection = connections[Int(fd)],
            connection.generation == generation, connection.inFlight
        else { return }
        connection.inFlight = false
        sendResponse(connection, response, now: now)
    }

    /// Runs the jobs ready now; those they enqueue wait for the next turn, after the next
    /// `epoll_wait` (with a zero timeout), so sockets are never starved by a chain of jobs.
    private func runReadyJobs() {
        guard !readyJobs.isEmpty else { return }
        swap(&readyJobs, &runningJobs)
        let executor = asUnownedTaskExecutor()
        for job in runningJobs { job.runSynchronously(on: executor) }
        runningJobs.removeAll(keepingCapacity: true)
    }

    private func sendResponse(_ connection: Connection, _ response: HTTPResponse, now: UInt64) {
        var response = response
        if !ResponseSerializer.isValid(response) {
            // A handler bug must not reach the wire (response splitting); the client gets a bare 500.
            response = .problem(status: .internalServerError, error: "internal_error")
        }
        // After a half-close, answer what was already pipelined, then close.
        let keepAlive = connection.currentKeepAlive && !ResponseSerializer.asksToClose(response)
            && (!connection.readClosed || connection.parser.bufferedByteCount > 0) && !stopping
        ResponseSerializer.write(
            response, headOnly: connection.currentIsHead, keepAlive: keepAlive,
            http10: connection.currentIsHTTP10, date: date.current(), into: &connection.output)
        if !keepAlive { connection.closeAfterWrite = true }
        log(connection, status: response.status.code,
            bytes: connection.currentIsHead ? 0 : response.body.count, now: now)
        connection.requestStart = 0
        connection.idleSince = now
        flush(connection)
        if connections[Int(connection.fd)] === connection && !connection.closeAfterWrite {
            // Pipelined requests may already be buffered.
            processInput(connection, now: now)
        }
    }

    /// Answers a parse error or timeout with its status and closes after writing.
    private func answerError(_ connection: Connection, _ error: HTTPParseError, now: UInt64) {
        let line = connection.parser.currentRequestLine
        connection.currentMethod = line?.method ?? "-"
        connection.currentPath = line?.path ?? "-"
        connection.currentID = String(requestCounter.add(1, ordering: .relaxed).newValue, radix: 16)
        answerFinal(connection, .problem(status: error.status, error: error.code), now: now)
    }

    private func answerFinal(_ connection: Connection, _ response: HTTPResponse, now: UInt64) {
        ResponseSerializer.write(
            response, headOnly: false, keepAlive: false, http10: false, date: date.current(), into: &connection.output)
        log(connection, status: response.status.code, bytes: response.body.count, now: now)
        connection.closeAfterWrite = true
        flush(connection)
    }

    private func log(_ connection: Connection, status: Int, bytes: Int, now: UInt64) {
        guard let sink = context.configuration.accessLog else { return }
        let start = connection.requestStart == 0 ? now : connection.requestStart
        let elapsed = now >= start ? now - start : 0
        sink(AccessLogEntry(
            requestID: connection.currentID, method: connection.currentMethod, path: connection.currentPath,
            status: status, bytes: bytes, duration: .nanoseconds(Int64(truncatingIfNeeded: elapsed)),
            remoteAddress: connection.remoteAddress))
    }

    /// Writes as much queued output as the socket takes; closes or lingers when a final answer drained.
    private func flush(_ connection: Connection) {
        while connection.hasPendingOutput {
            let n = connection.output.withUnsafeBytes { bytes in
                send(connection.fd, bytes.baseAddress! + connection.outputOffset,
                     bytes.count - connection.outputOffset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    if connection.writeStart == 0 { connection.writeStart = Sys.monotonicNanos() }
                    updateInterest(connection)
                    updateDeadline(connection, now: Sys.monotonicNanos())
                    return
                }
                close(connection)
                return
            }
            connection.outputOffset += n
        }
        // An idle connection keeps at most a small output buffer (memory per idle client stays low).
        connection.output.removeAll(keepingCapacity: connection.output.capacity <= 8 * 1024)
        connection.outputOffset = 0
        connection.writeStart = 0
        if connection.closeAfterWrite {
            if connection.readClosed {
                close(connection)
                return
            }
            // Lingering close: stop writing, keep reading a moment so unread request bytes do not
            // turn our final answer into a reset before the client reads it.
            shutdown(connection.fd, Int32(SHUT_WR))
            connection.lingering = true
            connection.lingerUntil = Sys.monotonicNanos() &+ timeouts.linger
        }
        updateInterest(connection)
        updateDeadline(connection, now: Sys.monotonicNanos())
    }

    private func updateInterest(_ connection: Connection) {
        var wanted: UInt32 = 0
        if connection.hasPendingOutput { wanted |= Sys.epollOut }
        // Keep reading while a request is in flight (to see a pipelined next request or the peer
        // leaving) until a bound; past it, bytes wait in the kernel (backpressure).
        let bufferFull = (connection.inFlight || outputIsBacklogged(connection))
            && connection.parser.bufferedByteCount >= Self.pipelineBufferLimit
        if !connection.readClosed && !bufferFull { wanted |= Sys.epollIn | Sys.epollRdHup }
        setInterest(connection, wanted)
    }

    /// Whether unsent output has reached the bound past which no further request is parsed.
    private func outputIsBacklogged(_ connection: Connection) -> Bool {
        connection.output.count - connection.outputOffset >= Self.pipelineBufferLimit
    }

    private func setInterest(_ connection: Connection, _ wanted: UInt32) {
        guard wanted != connection.interest else { return }
        connection.interest = wanted
        _ = Sys.epollControl(epollFD, Epoll.ctlMod, connection.fd, events: wanted, data: UInt64(connection.fd))
    }

    // MARK: - Deadlines

    /// Recomputes the one deadline that applies to the connection's current phase.
    private func updateDeadline(_ connection: Connection, now: UInt64) {
        connection.deadline = timeouts.deadline(for: connection.phase) ?? 0
    }

    private func sweepDeadlines(now: UInt64) {
        for case let connection? in connections where connection.deadline != 0 && now >= connection.deadline {
            if connection.readClosed {
                close(connection)
                continue
            }
            switch ConnectionTimeouts.expiry(for: connection.phase) {
            case .close:
                close(connection)
            case .answerRequestTimeout:
                connection.currentMethod = connection.parser.currentRequestLine?.method ?? "-"
                connection.currentPath = connection.parser.currentRequestLine?.path ?? "-"
                connection.currentID = String(requestCounter.add(1, ordering: .relaxed).newValue, radix: 16)
                answerFinal(connection, .problem(status: .requestTimeout, error: "request_timeout"), now: now)
            case nil:
                connection.deadline = 0
            }
        }
    }

    // MARK: - Shutdown and closing

    private func enterShutdown(deadline: UInt64) {
        stopping = true
        graceDeadline = deadline
        stopListening()
        for case let connection? in connections {
            if connection.isIdle {
                close(connection)
            } else if !connection.inFlight && !connection.hasPendingOutput && !connection.lingering {
                // Mid-request: it is answered with Connection: close (see `dispatch`).
                continue
            }
        }
    }

    /// Deregisters and closes; the only place a connection's descriptor is closed.
    private func close(_ connection: Connection) {
        guard Int(connection.fd) < connections.count, connections[Int(connection.fd)] === connection else { return }
        connections[Int(connection.fd)] = nil
        _ = Sys.epollControl(epollFD, Epoll.ctlDel, connection.fd, events: 0, data: 0)
        Glibc.close(connection.fd)
        connectionCount -= 1
        context.openConnections.subtract(1, ordering: .relaxed)
        if listenerFD >= 0 {
            resumeListeningIfPossible()
        } else if context.acceptPaused.load(ordering: .relaxed), let acceptor = siblings.first {
            acceptor.requestAcceptResume()
        }
    }
}
