import HTTPKit
import Synchronization

/// Drives the server over keep-alive connections, closed-loop (`connections` workers, each sending its next
/// request when the last is answered) or open-loop at a fixed arrival rate (request i is due at start + i/rate;
/// its latency counts from when it was due, so a stalled server is not hidden by the generator waiting for it).
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

    let host: String
    let port: Int
    let factory: RequestFactory
    let scenario: Scenario
    let agents: [BenchAgent]
    let connections: Int
    let rate: Double?
    let warmup: Duration
    let duration: Duration

    /// Runs warm-up then the measured window; `onMeasureStart` runs once when measurement begins.
    func run(onMeasureStart: @escaping @Sendable () -> Void) async -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        let measureFrom = start + warmup
        let end = measureFrom + duration
        let nextSlot = SlotCounter()
        return await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                try? await Task.sleep(until: measureFrom, clock: clock)
                onMeasureStart()
                return Outcome()
            }
            for worker in 0..<connections {
                group.addTask {
                    await work(worker: worker, start: start, measureFrom: measureFrom, end: end, slots: nextSlot)
                }
            }
            var total = Outcome()
            for await outcome in group { total.merge(outcome) }
            let elapsed = clock.now - measureFrom
            total.measuredSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return total
        }
    }

    private func work(
        worker: Int, start: ContinuousClock.Instant, measureFrom: ContinuousClock.Instant,
        end: ContinuousClock.Instant, slots: SlotCounter
    ) async -> Outcome {
        let clock = ContinuousClock()
        let client = HTTPClient(host: host, port: port)
        let agent = agents[worker % agents.count]
        var outcome = Outcome()
        var local = 0
        while true {
            let sequence: Int
            let due: ContinuousClock.Instant
            if let rate {
                sequence = slots.next()
                due = start + .nanoseconds(Int64(Double(sequence) * 1e9 / rate))
                if due >= end { break }
                if due > clock.now { try? await Task.sleep(until: due, clock: clock) }
            } else {
                sequence = worker + local * connections
                due = clock.now
                if due >= end { break }
            }
            local += 1
            let kind = scenario.kind(forSequence: sequence)
            let measured = due >= measureFrom
            let serial = "\(worker)-\(local)"
            var failure: String?
            var statusText = "io"
            do {
                var response = try await client.send(try factory.make(kind, agent: agent, serial: serial))
                if kind == .proposeDeferred, response.status.code == 202, let location = response.headers["Location"] {
                    response = try await client.send(try factory.poll(agent: agent, location: location))
                }
                statusText = String(response.status.code)
                if response.status.code != kind.expectedStatus { failure = statusText }
            } catch {
                failure = "io"
            }
            guard measured else { continue }
            let elapsed = clock.now - due
            let nanoseconds =
                elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
            outcome.latency.record(UInt64(max(0, nanoseconds)))
            outcome.completed += 1
            outcome.statuses["\(kind.rawValue) \(statusText)", default: 0] += 1
            if let failure { outcome.errors["\(kind.rawValue) \(failure)", default: 0] += 1 }
        }
        await client.close()
        return outcome
    }
}

/// The open-loop schedule's next request number, shared by every worker.
final class SlotCounter: Sendable {
    private let value = Atomic<Int>(0)

    /// The next unused number, from 0.
    func next() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
}
