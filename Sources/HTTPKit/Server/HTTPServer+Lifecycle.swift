#if canImport(Glibc)
import Glibc
#endif
import CSystemShims

extension HTTPServer {
    /// Binds, listens and starts the event loops; returns once the server accepts connections.
    public func start() throws(SocketError) {
        let config = configuration
        if let problem = config.problem { throw .invalidConfiguration(problem) }
        guard var address = Sys.makeAddress(host: config.host, port: config.port) else {
            throw .invalidAddress(config.host)
        }
        try state.withLock { (state: inout State) throws(SocketError) in
            guard case .idle = state.phase else { throw .alreadyStarted }
            // A peer that resets mid-write must give us EPIPE, not kill the process.
            signal(SIGPIPE, SIG_IGN)
            let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw .system(call: "socket", errno: errno) }
            var ok = false
            defer { if !ok { close(fd) } }
            var one: Int32 = 1
            // SO_REUSEADDR: restart without waiting out TIME_WAIT of the previous process.
            guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
                throw .system(call: "setsockopt(SO_REUSEADDR)", errno: errno)
            }
            let bound = withUnsafePointer(to: &address.storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, address.length) }
            }
            guard bound == 0 else { throw .system(call: "bind", errno: errno) }
            guard listen(fd, config.backlog) == 0 else { throw .system(call: "listen", errno: errno) }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            _ = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            let described = Sys.describe(&storage)
            let port = described.split(separator: ":").last.flatMap { Int($0) } ?? config.port

            let context = ServerContext(configuration: config, responder: responder)
            let loopCount = config.eventLoopCount > 0 ? config.eventLoopCount : max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
            var loops: [EventLoop] = []
            for index in 0..<loopCount {
                // Loop 0 accepts and hands clients round-robin to all loops.
                loops.append(try EventLoop(index: index, context: context, listenerFD: index == 0 ? fd : -1))
            }
            for loop in loops { loop.setSiblings(loops) }
            for loop in loops { loop.start() }
            ok = true
            state.listener = fd
            state.port = port
            state.loops = loops
            state.context = context
            state.phase = .running
        }
    }

    /// Stops accepting, closes idle connections, lets in-flight requests finish (answered with
    /// `Connection: close`) for up to `gracePeriod`, then closes whatever remains.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        let loops = state.withLock { (state: inout State) -> [EventLoop] in
            guard case .running = state.phase else { return [] }
            state.phase = .stopping
            return state.loops
        }
        guard !loops.isEmpty else {
            // Already stopping elsewhere, or never started: wait for the other caller's work.
            for loop in state.withLock({ $0.loops }) { await loop.waitUntilExited() }
            return
        }
        let deadline = Sys.monotonicNanos() &+ Sys.nanos(gracePeriod)
        for loop in loops { loop.beginShutdown(deadline: deadline) }
        for loop in loops { await loop.waitUntilExited() }
        state.withLock { state in
            // Every loop has deregistered the listener, so this is its last user.
            if state.listener >= 0 { close(state.listener) }
            state.listener = -1
            state.phase = .stopped
        }
    }
}
