import CSQLite
import Foundation

/// The only writer of a database: one connection on one dedicated thread that group-commits.
///
/// Every `write` enqueues its work. The thread takes everything queued (up to `maxBatchSize`,
/// oldest first) and runs it as one batch:
///
///     BEGIN IMMEDIATE
///       SAVEPOINT item; work 1; RELEASE item      (or ROLLBACK TO item: only work 1 is undone)
///       SAVEPOINT item; work 2; RELEASE item
///       …
///     COMMIT                                      (one WAL fsync for the whole batch)
///
/// and only after COMMIT returns resumes the callers: each gets its own result or its own error.
/// If COMMIT fails (SQLITE_FULL, SQLITE_IOERR…) or SQLite rolls the transaction back, every caller
/// whose work was in it gets that error and nothing of it is durable. The writer then carries on
/// with later batches (e.g. once disk space is freed).
///
/// A `Thread` rather than a dispatch queue: the thread blocks in fsync, and blocking a thread of
/// Swift concurrency's cooperative pool (or of GCD's shared pool) would starve other tasks.
///
/// ```swift
/// let id = try await writer.write { db in
///     try db.run("INSERT INTO decisions(body) VALUES (?)", [.text(body)])
///     return db.lastInsertRowID
/// }   // returns once the row is durable
/// ```
package final class DatabaseWriter: Sendable {
    /// Counters for diagnostics and benchmarks.
    package struct Statistics: Equatable, Sendable {
        /// Batches run (committed or not).
        package var batches = 0
        /// Work items run.
        package var items = 0
        /// The largest batch so far.
        package var largestBatch = 0
        /// Batches held back for anticipated writes (`anticipating`).
        package var delayedBatches = 0
        /// Of those, the ones whose wait ran to the full commit delay.
        package var delaysExpired = 0
    }

    private let core: WriterCore

    /// Takes over `connection` (already configured and migrated) and starts the writer thread.
    /// `commitDelay` (seconds) bounds how long a batch waits for anticipated writes; 0 never waits.
    package init(connection: sending SQLiteConnection, maxBatchSize: Int = 512, commitDelay: TimeInterval = 0) {
        precondition(maxBatchSize > 0, "maxBatchSize must be positive")
        precondition(commitDelay >= 0, "commitDelay cannot be negative")
        core = WriterCore(connection: connection, maxBatchSize: maxBatchSize, commitDelay: commitDelay)
        Thread { [core] in core.run() }.start()
    }

    deinit {
        // Without this the thread would wait for work forever; its queue is drained first.
        core.shutdown(waitUntilFinished: false)
    }

    /// Runs `work` on the writer's connection inside the next batch's transaction and returns its
    /// result once the batch has committed durably. `work` must not BEGIN, COMMIT or ROLLBACK
    /// (use `savepoint` for nested units) and must be short: the whole batch waits for it.
    /// Cancellation is not honoured once enqueued: the write either happens or fails, as reported.
    @discardableResult
    package func write<T: Sendable>(_ work: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        let anticipation = WriteAnticipation.current
        return try await withCheckedThrowingContinuation { continuation in
            let request = WriteRequest(work: work) { continuation.resume(with: $0) }
            if let refusal = core.enqueue(request, anticipation: anticipation) {
                continuation.resume(throwing: refusal)
            }
        }
    }

    /// Runs `body` with one write anticipated: a batch that is about to commit while it runs waits
    /// (at most the commit delay) for the first write `body` makes, or for `body` to end without
    /// writing. For requests that will very likely write, started before their slow part (the
    /// signature check), so that under load they share commits (`WriteAnticipation`).
    package func anticipating<T>(_ body: () async throws -> T) async rethrows -> T {
        let anticipation = core.anticipate()
        defer { core.endAnticipation(anticipation) }
        return try await WriteAnticipation.$current.withValue(anticipation) { try await body() }
    }

    /// `write` for synchronous callers (CLI commands, setup): blocks the calling thread until the
    /// batch holding `work` has committed. Never call it from inside a write (it would deadlock).
    @discardableResult
    package func writeAndWait<T: Sendable>(_ work: @escaping @Sendable (SQLiteConnection) throws -> T) throws -> T {
        precondition(!core.isCurrentThread, "writeAndWait called on the writer thread would wait for itself")
        let slot = BlockingResult<T>()
        let request = WriteRequest(work: work) { slot.fulfill($0) }
        if let refusal = core.enqueue(request, anticipation: WriteAnticipation.current) { throw refusal }
        return try slot.wait().get()
    }

    /// Stops accepting writes, finishes the queued ones, closes the connection and waits for the
    /// thread to end. Later writes fail with `SQLiteError.closed`.
    package func close() {
        precondition(!core.isCurrentThread, "close called on the writer thread would wait for itself")
        core.shutdown(waitUntilFinished: true)
    }

    /// The number of writes waiting for the next batch.
    package var pendingCount: Int { core.pendingCount }

    /// Batch counters since start.
    package var statistics: Statistics { core.statistics }
}

/// The state shared by the writer façade and its thread.
///
/// `@unchecked Sendable`: `queue`, `spareQueue`, `anticipated`, `isLingering`, `isClosing`,
/// `isFinished`, `threadID` and `counters` are only touched under `condition`; `connection`,
/// `outcomeBuffer` and `ridingBuffer` are touched only by the writer thread once it has started (the
/// initializer's store happens before `Thread.start()`).
final class WriterCore: @unchecked Sendable {
    private let condition = NSCondition()
    private let maxBatchSize: Int
    private let commitDelay: TimeInterval
    /// Anticipated writes not yet enqueued (nor given up).
    private var anticipated = 0
    /// True while the writer holds a batch back for them; an arrival that completes the count
    /// (or fills the batch) wakes it.
    private var isLingering = false
    private var queue: [any PendingWrite] = []
    /// An empty array with capacity, swapped in for `queue` when a batch is taken, so that the
    /// queue never regrows from nothing (the writer thread hands each finished batch back).
    private var spareQueue: [any PendingWrite] = []
    private var isClosing = false
    private var isFinished = false
    private var threadID: pthread_t?
    private var counters = DatabaseWriter.Statistics()
    /// True while the writer thread sleeps for want of work and nobody has woken it yet: only the
    /// first enqueue then signals (one futex wake per idle period, not one per write).
    private var isIdle = false
    private var connection: SQLiteConnection?
    /// `process`'s working arrays, kept with their capacity between batches (writer thread only,
    /// like `connection`; always empty between batches, so they hold no request or error).
    private var outcomeBuffer: [(request: any PendingWrite, failure: (any Error)?)] = []
    private var ridingBuffer: [Int] = []

    // The savepoint around each item, named so that callers' own savepoints will not reuse it;
    // the statements are built once (they are the statement-cache keys).
    private static let beginBatch = "BEGIN IMMEDIATE"
    private static let openItem = "SAVEPOINT ma_group_commit_item"
    private static let undoItem = "ROLLBACK TO ma_group_commit_item"
    private static let closeItem = "RELEASE ma_group_commit_item"
    private static let commitBatch = "COMMIT"
    /// SQLITE_ABORT_ROLLBACK (a macro Swift cannot import): "the transaction that was active when
    /// the SQL statement first started was rolled back".
    private static let transactionEnded = SQLiteError.failed(
        code: SQLITE_ABORT | (2 << 8), message: "the batch transaction ended inside a write", sql: nil)
    private static let rollbackFailed = SQLiteError.failed(
        code: SQLITE_IOERR, message: "the writer could not roll back a failed transaction", sql: nil)

    init(connection: SQLiteConnection, maxBatchSize: Int, commitDelay: TimeInterval) {
        self.connection = connection
        self.maxBatchSize = maxBatchSize
        self.commitDelay = commitDelay
    }

    var isCurrentThread: Bool {
        condition.withLock { threadID.map { pthread_equal($0, pthread_self()) != 0 } ?? false }
    }

    var pendingCount: Int { condition.withLock { queue.count } }

    var statistics: DatabaseWriter.Statistics { condition.withLock { counters } }

    /// Queues `request`, ending `anticipation` if it was this writer's and still outstanding;
    /// returns an error instead when the writer is closed.
    func enqueue(_ request: any PendingWrite, anticipation: WriteAnticipation? = nil) -> SQLiteError? {
        let arrived = anticipation.map { $0.writer === self && $0.end() } ?? false
        return condition.withLock {
            if arrived { anticipated -= 1 }
            guard !isClosing else {
                if arrived { wakeLingeringWriter() }
                return SQLiteError.closed
            }
            queue.append(request)
            if isIdle {
                isIdle = false
                condition.signal()
            } else {
                wakeLingeringWriter()
            }
            return nil
        }
    }

    /// Counts a write on its way.
    func anticipate() -> WriteAnticipation {
        condition.withLock { anticipated += 1 }
        return WriteAnticipation(core: self)
    }

    /// Gives up `anticipation` if no write ended it.
    func endAnticipation(_ anticipation: WriteAnticipation) {
        guard anticipation.end() else { return }
        condition.withLock {
            anticipated -= 1
            wakeLingeringWriter()
        }
    }

    /// Under `condition`: a batch held back has nothing more to wait for.
    private func wakeLingeringWriter() {
        if isLingering && (anticipated == 0 || queue.count >= maxBatchSize) { condition.signal() }
    }

    func shutdown(waitUntilFinished: Bool) {
        condition.withLock {
            isClosing = true
            condition.broadcast()
            while waitUntilFinished && !isFinished { condition.wait() }
        }
    }

    // MARK: The writer thread

    func run() {
        // Named from inside: the name shows in `top -H` and debuggers.
        Thread.current.name = "ma-db-writer"
        condition.withLock { threadID = pthread_self() }
        // The last batch's array, emptied, for `nextBatch` to reuse as the next queue.
        var recycled: [any PendingWrite] = []
        while var batch = nextBatch(recycling: &recycled) {
            if let connection {
                process(batch, on: connection)
            }
            batch.removeAll(keepingCapacity: true)
            swap(&recycled, &batch)
        }
        connection = nil  // closes the database connection on this thread
        condition.withLock {
            isFinished = true
            condition.broadcast()
        }
    }

    /// Waits for work; returns up to `maxBatchSize` oldest requests, or nil once closed and drained.
    /// `recycled` (an emptied earlier batch) becomes the spare queue when it has more room.
    private func nextBatch(recycling recycled: inout [any PendingWrite]) -> [any PendingWrite]? {
        condition.withLock {
            if recycled.capacity > spareQueue.capacity { swap(&spareQueue, &recycled) }
            while queue.isEmpty && !isClosing {
                isIdle = true
                condition.wait()
            }
            isIdle = false
            if queue.isEmpty { return nil }
            if anticipated > 0 && commitDelay > 0 && queue.count < maxBatchSize && !isClosing {
                // Writes are on their way (WriteAnticipation): hold the batch back until they are
                // here, the batch is full, or the delay is up.
                counters.delayedBatches += 1
                let deadline = Date(timeIntervalSinceNow: commitDelay)
                isLingering = true
                while anticipated > 0 && queue.count < maxBatchSize && !isClosing {
                    if !condition.wait(until: deadline) {
                        counters.delaysExpired += 1
                        break
                    }
                }
                isLingering = false
            }
            // FIFO: whoever came first is served first, and a flood cannot hold a caller back more
            // than queue-length / maxBatchSize batches.
            if queue.count <= maxBatchSize {
                // Swapped, not copied: returning `queue` and then emptying it "keeping capacity"
                // allocated a new buffer for every batch, since the batch still shared the old one.
                var batch: [any PendingWrite] = []
                swap(&batch, &queue)
                swap(&queue, &spareQueue)
                return batch
            }
            let batch = Array(queue.prefix(maxBatchSize))
            queue.removeFirst(maxBatchSize)
            return batch
        }
    }

    /// Runs one batch in one transaction and reports every outcome after COMMIT.
    private func process(_ batch: [any PendingWrite], on connection: SQLiteConnection) {
        // Each request with the error it will get (nil: its own result, valid once committed).
        // Both arrays are taken from (and given back to) the writer's buffers, empty.
        var outcomes = outcomeBuffer
        outcomeBuffer = []
        outcomes.reserveCapacity(batch.count)
        // Indices of requests whose success rides on the open transaction committing.
        var riding = ridingBuffer
        ridingBuffer = []
        // True between our BEGIN and its COMMIT or loss; SQLite's autocommit flag alone cannot
        // tell our transaction from one a failed ROLLBACK left behind.
        var isOpen = false

        // The open transaction is lost: everyone riding on it gets `cause`.
        func abandon(_ cause: any Error) {
            for index in riding { outcomes[index].failure = cause }
            riding.removeAll()
            isOpen = false
            connection.rollbackIfNeeded()
        }

        for (position, request) in batch.enumerated() {
            if !isOpen {
                // A transaction that survived a failed ROLLBACK holds work whose callers were told
                // it failed: it must never be committed by later work.
                connection.rollbackIfNeeded()
                do {
                    guard !connection.isInTransaction else { throw Self.rollbackFailed }
                    try connection.run(Self.beginBatch)
                    isOpen = true
                } catch {
                    // SQLITE_BUSY (another process holds the lock past the busy timeout) or an
                    // unusable file: retrying request by request would only multiply the wait.
                    for unstarted in batch[position...] { outcomes.append((unstarted, error)) }
                    break
                }
            }
            do {
                try connection.run(Self.openItem)
            } catch {
                abandon(error)
                outcomes.append((request, error))
                continue
            }
            let failure = request.perform(connection)
            guard connection.isInTransaction else {
                // SQLite rolled the whole transaction back ("SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY,
                // SQLITE_NOMEM … might roll back the entire transaction"), or the work ended it.
                let cause = failure ?? Self.transactionEnded
                abandon(cause)
                outcomes.append((request, cause))
                continue
            }
            if let failure {
                // Undo only this caller's work; the others in the batch are untouched.
                do {
                    try connection.run(Self.undoItem)
                    try connection.run(Self.closeItem)
                } catch {
                    abandon(error)
                }
                outcomes.append((request, failure))
            } else {
                do {
                    try connection.run(Self.closeItem)
                    riding.append(outcomes.count)
                    outcomes.append((request, nil))
                } catch {
                    abandon(error)
                    outcomes.append((request, error))
                }
            }
        }

        if isOpen {
            do {
                // With journal_mode=WAL and synchronous=FULL, "the WAL file is synchronized
                // before each transaction commit": when COMMIT returns, the batch is durable.
                try connection.run(Self.commitBatch)
            } catch {
                abandon(error)
            }
        }
        // Only now, after the durable COMMIT (or its failure), does any caller hear back.
        finish(outcomes, batchSize: batch.count)
        outcomes.removeAll(keepingCapacity: true)
        riding.removeAll(keepingCapacity: true)
        outcomeBuffer = outcomes
        ridingBuffer = riding
    }

    private func finish(_ outcomes: [(request: any PendingWrite, failure: (any Error)?)], batchSize: Int) {
        // Counted before anyone hears back, so a caller that got its result sees its batch counted.
        condition.withLock {
            counters.batches += 1
            counters.items += batchSize
            counters.largestBatch = max(counters.largestBatch, batchSize)
        }
        for outcome in outcomes { outcome.request.complete(failure: outcome.failure) }
    }
}
