import CBenchShims
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Drives the server over keep-alive connections, closed-loop (`connections` connections, each sending its next
/// request when the last is answered) or open-loop at a fixed arrival rate (request i is due at start + i/rate;
/// its latency counts from when it was due, so a stalled server is not hidden by the generator waiting for it).
///
/// The connections are split over `threads` OS threads, each running its own epoll loop (`LoadLoop`), so that the
/// generator's CPU goes to signing requests, not to scheduling: it shares the machine with the server it measures.
struct LoadRunner: Sendable {
    /// What the workers recorded.
    struct Outcome: Sendable {
        var latency = LatencyHistogram()
        /// Completed requests in the measured window (a deferred proposal and its poll count as one).
        var completed = 0
        /// Unexpected statuses (`"401"`…) and transport failures (`"io"`), by kind.
        var errors: [String: Int] = [:]
        /// Statuses seen, by kind, for the report.
        var statuses: [String: Int] = [:]
        /// From the start of the measured window until the last measured request was answered (an open loop
        /// the server cannot keep up with finishes late, and its throughput must count that time).
        var measuredSeconds = 0.0

        mutating func merge(_ other: Outcome) {
            latency.merge(other.latency)
            completed += other.completed
            errors.merge(other.errors, uniquingKeysWith: +)
            statuses.merge(other.statuses, uniquingKeysWith: +)
        }
    }

    /// The server's socket address, resolved once.
    struct Address: Sendable {
        let family: Int32
        let bytes: [UInt8]
        let length: socklen_t
    }

    /// Everything a load thread needs, fixed for the run (CLOCK_MONOTONIC nanoseconds for the times).
    struct Plan: Sendable {
        let address: Address
        let scenario: Scenario
        let agents: [LoadAgent]
        /// Connections over all threads.
        let connections: Int
        let rate: Double?
        let start: UInt64
        let measureFrom: UInt64
        let end: UInt64
        let slots: SlotCounter
    }

    /// Load threads: one thread signs far faster than the server verifies, and a second measured no cheaper per
    /// request (59–66 µs against 59 µs of generator CPU per grant, 64 connections, 2 cores).
    static let defaultThreads = 1

    let host: String
    let port: Int
    let factory: RequestFactory
    let scenario: Scenario
    let agents: [BenchAgent]
    let connections: Int
    let rate: Double?
    let warmup: Duration
    let duration: Duration
    var threads = LoadRunner.defaultThreads

    /// Runs warm-up then the measured window; `onMeasureStart` runs once, on its own thread, when measurement
    /// begins.
    func run(onMeasureStart: @escaping @Sendable () -> Void) async throws(BenchError) -> Outcome {
        let address = try Self.resolve(host: host, port: port)
        let loadAgents = agents.enumerated().map { LoadAgent($0.element, index: $0.offset, factory: factory) }
        let threadCount = max(1, min(threads, connections))
        let encoder: SignedRequestEncoder
        do { encoder = try SignedRequestEncoder(authority: factory.authority) } catch {
            throw BenchError.load("the request encoder: \(error)")
        }
        var loops: [(workers: [Int], epollFD: Int32)] = []
        for thread in 0..<threadCount {
            let epollFD = cbench_epoll_create()
            guard epollFD >= 0 else {
                for loop in loops { close(loop.epollFD) }
                throw BenchError.load("epoll_create1: errno \(errno)")
            }
            loops.append((Array(stride(from: thread, to: connections, by: threadCount)), epollFD))
        }
        let start = MonotonicClock.nanoseconds()
        let measureFrom = start + Self.nanoseconds(warmup)
        let plan = Plan(
            address: address, scenario: scenario, agents: loadAgents, connections: connections, rate: rate,
            start: start, measureFrom: measureFrom, end: measureFrom + Self.nanoseconds(duration),
            slots: SlotCounter())
        let outcomes = await withTaskGroup(of: Result<Outcome, BenchError>.self) { group in
            group.addTask {
                await Self.onThread(named: "ma-bench measure-start") {
                    MonotonicClock.sleep(until: measureFrom)
                    onMeasureStart()
                    return .success(Outcome())
                }
            }
            for (index, loop) in loops.enumerated() {
                group.addTask {
                    await Self.onThread(named: "ma-bench load \(index)") {
                        Result { () throws(BenchError) in
                            try LoadLoop(plan: plan, workers: loop.workers, encoder: encoder, epollFD: loop.epollFD)
                                .run()
                        }
                    }
                }
            }
            var outcomes: [Result<Outcome, BenchError>] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        var total = Outcome()
        for outcome in outcomes { total.merge(try outcome.get()) }
        total.measuredSeconds = Double(MonotonicClock.nanoseconds() - measureFrom) / 1e9
        return total
    }

    /// Runs `body` on a new OS thread and returns its result (the load loops block in epoll_wait, which must not
    /// hold a thread of Swift's cooperative pool).
    private static func onThread(
        named name: String, _ body: @escaping @Sendable () -> Result<Outcome, BenchError>
    ) async -> Result<Outcome, BenchError> {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = name
            thread.start()
        }
    }

    private static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }

    /// The first stream-socket address of `host` (getaddrinfo(3)).
    static func resolve(host: String, port: Int) throws(BenchError) -> Address {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            throw BenchError.load("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        guard let first = list, let address = first.pointee.ai_addr else {
            throw BenchError.load("no address for \(host)")
        }
        let length = Int(first.pointee.ai_addrlen)
        let bytes = [UInt8](UnsafeRawBufferPointer(start: address, count: length))
        return Address(family: first.pointee.ai_family, bytes: bytes, length: socklen_t(length))
    }
}

/// The open-loop schedule's next request number, shared by every load thread.
final class SlotCounter: Sendable {
    private let value = Atomic<Int>(0)

    /// The next unused number, from 0.
    func next() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
}
