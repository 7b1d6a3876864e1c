import Foundation
import HTTPKit
import Synchronization

/// Background agents that hold long polls open (`GET /pending/{id}` with `Prefer: wait=60`, wire notes §5) while
/// the measured load runs, to show what parked requests cost the server: the load's throughput next to a run
/// without them, and the server's thread count (parked polls must hold no thread).
///
/// Each poller owns one connection and one deferred proposal (outside every auto-approval rule, so nobody
/// decides it); when a poll ends (202 after the wait), it polls again. They are never awaited: the process ends
/// with them parked, as an agent fleet's would be cut off.
struct LongPollers: Sendable {
    let factory: RequestFactory
    let host: String
    let port: Int
    /// Seconds each poll asks to wait.
    let wait: Int

    /// Opens `count` deferred proposals (signed by `agents` in turn) and starts polling each; returns once every
    /// poller has sent its first poll. Setup runs over 16 connections; the pollers each use their own.
    func start(count: Int, agents: [BenchAgent]) async throws -> Counters {
        let counters = Counters()
        let locations = try await proposals(count: count, agents: agents)
        let (factory, host, port, wait) = (factory, host, port, wait)
        for (index, location) in locations {
            let agent = agents[index % agents.count]
            Task {
                let client = HTTPClient(host: host, port: port)
                counters.started()
                while true {
                    do {
                        var request = try factory.poll(agent: agent, location: location)
                        request.headers.add(name: "Prefer", value: "wait=\(wait)")
                        let response = try await client.send(request)
                        counters.finished(status: response.status.code)
                        // Only a parked poll that timed out (202) is expected; anything else is reported, and
                        // must not turn into a tight loop of requests that would distort the measured load.
                        if response.status.code != 202 { try? await Task.sleep(for: .seconds(1)) }
                    } catch {
                        counters.finished(status: 0)
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
            }
        }
        while counters.startedCount < count { try await Task.sleep(for: .milliseconds(20)) }
        // Let the first polls reach the server and park.
        try await Task.sleep(for: .seconds(1))
        return counters
    }

    /// The pending URL of each proposal, with the index of the proposing agent's turn.
    private func proposals(count: Int, agents: [BenchAgent]) async throws -> [(Int, String)] {
        let lanes = 16
        return try await withThrowingTaskGroup(of: [(Int, String)].self) { group in
            for lane in 0..<min(lanes, count) {
                group.addTask { [factory, host, port] in
                    let client = HTTPClient(host: host, port: port)
                    var locations: [(Int, String)] = []
                    for index in stride(from: lane, to: count, by: lanes) {
                        let agent = agents[index % agents.count]
                        let response = try await client.send(
                            try factory.proposal(
                                agent: agent, resource: RequestFactory.deferredResource, serial: "poller-\(index)"))
                        guard response.status.code == 202, let location = response.headers["Location"] else {
                            throw BenchError.setup("a long-poller's proposal answered \(response.status.code)")
                        }
                        locations.append((index, location))
                    }
                    await client.close()
                    return locations
                }
            }
            var all: [(Int, String)] = []
            for try await part in group { all += part }
            return all
        }
    }

    /// What the pollers saw, shared by their tasks.
    final class Counters: Sendable {
        private let state = Mutex<(started: Int, polls: Int, byStatus: [Int: Int])>((0, 0, [:]))

        func started() { state.withLock { $0.started += 1 } }
        func finished(status: Int) {
            state.withLock {
                $0.polls += 1
                $0.byStatus[status, default: 0] += 1
            }
        }
        var startedCount: Int { state.withLock { $0.started } }
        /// Polls that ended, by status (0: transport failure).
        var byStatus: [Int: Int] { state.withLock { $0.byStatus } }
    }
}
