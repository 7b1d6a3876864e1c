import Logging
import MissionCore

/// Records the expiry of missions and reviews nobody touched, every `interval`. Decision paths
/// check expiry themselves (DESIGN §3.1); the sweep makes the audit trail and long-polling agents
/// learn of it without waiting for the next request.
final class ExpirySweeper: Sendable {
    private let authority: MissionAuthority
    private let interval: Duration
    private let logger: Logger
    private let task = Locked<Task<Void, Never>?>(nil)

    init(authority: MissionAuthority, interval: Duration = .seconds(5), logger: Logger) {
        self.authority = authority
        self.interval = interval
        self.logger = logger
    }

    /// Starts the periodic sweep (idempotent).
    func start() {
        task.withLock { task in
            guard task == nil else { return }
            task = Task { [self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    if Task.isCancelled { break }
                    await sweep()
                }
            }
        }
    }

    /// Stops the sweep and waits for a sweep in progress to finish.
    func stop() async {
        let running = task.withLock { task -> Task<Void, Never>? in
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
    }

    /// One pass: expire due missions, then due reviews (waking their pollers).
    func sweep() async {
        do {
            let missions = try await authority.expireDueMissions()
            let reviews = try await authority.expireDueReviews()
            if missions + reviews > 0 {
                logger.info("expiry sweep", metadata: ["missions": "\(missions)", "reviews": "\(reviews)"])
            }
        } catch {
            logger.warning("expiry sweep failed; retried next interval", metadata: ["error": "\(error)"])
        }
    }
}
