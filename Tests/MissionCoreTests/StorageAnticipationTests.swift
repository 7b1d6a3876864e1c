import Foundation
import Testing
@testable import MissionCore

@Suite("Storage: a batch waits for anticipated writes")
struct StorageAnticipationTests {
    /// A one-shot signal tasks can await without blocking a thread.
    actor Signal {
        private var isOpen = false
        private var waiters: [CheckedContinuation<Void, Never>] = []

        func open() {
            isOpen = true
            for waiter in waiters { waiter.resume() }
            waiters.removeAll()
        }

        func wait() async {
            if isOpen { return }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    private static func open(commitDelay: TimeInterval, in folder: String) throws -> Database {
        var configuration = DatabaseConfiguration()
        configuration.commitDelay = commitDelay
        return try Database.open(at: folder + "/ma.sqlite", migrations: [StorageFixtures.entries], configuration: configuration)
    }

    private static func insert(_ caller: Int) -> @Sendable (SQLiteConnection) throws -> Void {
        { db in try db.run("INSERT INTO entries(caller, sequence) VALUES (?, 0)", [.int(caller)]) }
    }

    /// Starts a task that holds one anticipation on `writer` until `proceed` opens and then runs
    /// `afterwards` inside it; returns once the anticipation is counted.
    private static func holdAnticipation(
        on writer: DatabaseWriter, until proceed: Signal,
        then afterwards: @escaping @Sendable () async throws -> Void
    ) async -> Task<Void, any Error> {
        let registered = Signal()
        let task = Task {
            try await writer.anticipating {
                await registered.open()
                await proceed.wait()
                try await afterwards()
            }
        }
        await registered.wait()
        return task
    }

    /// Waits until the writer holds a batch back (it counts the delay when it starts waiting).
    private static func untilDelayed(_ writer: DatabaseWriter, count: Int = 1) async throws {
        for _ in 0..<2_000 where writer.statistics.delayedBatches < count {
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test("A write on its way joins the batch that waited for it")
    func anticipatedWriteJoins() async throws {
        try await withTemporaryDirectory { folder in
            // A long delay: only the arrival can end the wait in time for the checks below.
            let database = try Self.open(commitDelay: 30, in: folder)
            defer { database.close() }
            let writer = database.writer
            let proceed = Signal()
            let anticipated = await Self.holdAnticipation(on: writer, until: proceed) {
                try await writer.write(Self.insert(2))
            }
            let first = Task { try await writer.write(Self.insert(1)) }
            try await Self.untilDelayed(writer)
            #expect(writer.statistics.batches == 0)
            await proceed.open()
            try await first.value
            try await anticipated.value
            let statistics = writer.statistics
            #expect(statistics.batches == 1)
            #expect(statistics.largestBatch == 2)
            #expect(statistics.delayedBatches == 1)
            #expect(statistics.delaysExpired == 0)
            #expect(try StorageFixtures.count(database) == 2)
        }
    }

    @Test("An anticipation that ends without writing releases the batch at once")
    func withdrawnAnticipation() async throws {
        try await withTemporaryDirectory { folder in
            let database = try Self.open(commitDelay: 30, in: folder)
            defer { database.close() }
            let writer = database.writer
            let proceed = Signal()
            // Ends without a write, as a refused request does.
            let refused = await Self.holdAnticipation(on: writer, until: proceed) {}
            let first = Task { try await writer.write(Self.insert(1)) }
            try await Self.untilDelayed(writer)
            await proceed.open()
            try await first.value
            try await refused.value
            let statistics = writer.statistics
            #expect(statistics.batches == 1)
            #expect(statistics.largestBatch == 1)
            #expect(statistics.delaysExpired == 0)
        }
    }

    @Test("Nothing anticipated, nothing waits; and the wait never exceeds the commit delay")
    func boundedDelay() async throws {
        try await withTemporaryDirectory { folder in
            let database = try Self.open(commitDelay: 0.05, in: folder)
            defer { database.close() }
            let writer = database.writer
            for caller in 0..<20 { try await writer.write(Self.insert(caller)) }
            #expect(writer.statistics.delayedBatches == 0)

            let proceed = Signal()
            let slow = await Self.holdAnticipation(on: writer, until: proceed) {
                try await writer.write(Self.insert(101))
            }
            // The anticipated write only comes after this one has committed: the delay must run out.
            try await writer.write(Self.insert(100))
            #expect(writer.statistics.delayedBatches == 1)
            #expect(writer.statistics.delaysExpired == 1)
            await proceed.open()
            try await slow.value
            #expect(try StorageFixtures.count(database) == 22)
        }
    }

    @Test("A writer with no commit delay ignores anticipations")
    func zeroDelay() async throws {
        try await withTemporaryDirectory { folder in
            let database = try Self.open(commitDelay: 0, in: folder)
            defer { database.close() }
            let writer = database.writer
            try await writer.anticipating {
                try await writer.write(Self.insert(1))
                // The second write is not anticipated any more: the first ended the anticipation.
                try await writer.write(Self.insert(2))
            }
            #expect(writer.statistics.delayedBatches == 0)
            #expect(try StorageFixtures.count(database) == 2)
        }
    }
}
