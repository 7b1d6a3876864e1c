import CSQLite
import Foundation

/// Copies the write-ahead log back into the database file on a thread of its own, so that no
/// group commit waits for it.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that takes the WAL past 1,000 frames: that
/// commit's callers (a whole batch of token requests) wait while hundreds of pages are written to
/// the database file and fsynced, and so does the next batch. Under load that stall was the tail
/// of the latency distribution. Here the writer connection's automatic checkpoint is replaced by
/// `walHook`, which only notes the WAL's size; past `thresholdFrames` this thread runs a PASSIVE
/// checkpoint on its own connection ("checkpoint as many frames as possible without waiting for
/// any database readers or writers to finish", sqlite3_wal_checkpoint_v2), concurrently with the
/// next commits. Should the WAL still reach `inlineFrames` (checkpoints failing, e.g. a full
/// disk), the writer checkpoints inline as SQLite would have, which bounds the file.
///
/// Durability is unchanged: a checkpoint only copies committed frames, and with synchronous=FULL
/// SQLite syncs the WAL before and the database file after copying.
///
/// ```swift
/// let checkpointer = try WALCheckpointer(path: path, thresholdFrames: 1_000, inlineFrames: 16_000)
/// checkpointer.attach(to: writerConnection)     // before the writer thread takes the connection
/// …
/// checkpointer.close()                           // after the writer has closed
/// ```
package final class WALCheckpointer: Sendable {
    /// Counters for diagnostics and tests.
    package struct Statistics: Equatable, Sendable {
        /// Background checkpoints run (whatever their outcome).
        package var checkpoints = 0
        /// Background checkpoints that SQLite answered with an error (busy, I/O, full disk).
        package var failures = 0
        /// Checkpoints the writer ran inline because the WAL reached `inlineFrames`.
        package var inlineCheckpoints = 0
        /// The WAL size in frames after the most recent commit.
        package var lastWALFrames = 0
    }

    private let core: CheckpointerCore

    /// Opens the checkpointer's own connection to `path` (which must already be in WAL mode) and
    /// starts its thread.
    package init(path: String, thresholdFrames: Int, inlineFrames: Int, busyTimeoutMilliseconds: Int32 = 5_000)
        throws(SQLiteError)
    {
        precondition(thresholdFrames > 0 && inlineFrames > 0, "WAL sizes in frames must be positive")
        let connection = try SQLiteConnection(
            path: path, mode: .readWrite, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        // The checkpoint syncs the database file only when synchronous is FULL or NORMAL on the
        // connection that runs it.
        try connection.execute("PRAGMA synchronous = FULL")
        core = CheckpointerCore(connection: connection, thresholdFrames: thresholdFrames, inlineFrames: inlineFrames)
        Thread { [core] in core.run() }.start()
    }

    deinit {
        core.shutdown(waitUntilFinished: false)
    }

    /// Replaces `connection`'s automatic checkpoint by this checkpointer. The connection keeps the
    /// hook's state alive for as long as it exists, so the hook can never outlive it.
    package func attach(to connection: SQLiteConnection) {
        core.attach(to: connection)
    }

    /// Stops the thread after any checkpoint in progress and closes its connection.
    package func close() {
        core.shutdown(waitUntilFinished: true)
    }

    /// Counters since start.
    package var statistics: Statistics { core.statistics }
}

/// The state shared by the hook (on the writer thread) and the checkpointer thread.
///
/// `@unchecked Sendable`: `pendingFrames`, `isRunning`, `isClosing`, `isFinished` and `counters`
/// are only touched under `condition`; `connection` only by the checkpointer thread.
private final class CheckpointerCore: @unchecked Sendable {
    private let condition = NSCondition()
    private let thresholdFrames: Int
    private let inlineFrames: Int
    private var connection: SQLiteConnection?
    /// The WAL size the writer last reported, when it is at or past the threshold and not yet
    /// handed to a checkpoint; nil otherwise.
    private var pendingFrames: Int?
    private var isClosing = false
    private var isFinished = false
    private var counters = WALCheckpointer.Statistics()

    init(connection: SQLiteConnection, thresholdFrames: Int, inlineFrames: Int) {
        self.connection = connection
        self.thresholdFrames = thresholdFrames
        self.inlineFrames = inlineFrames
    }

    var statistics: WALCheckpointer.Statistics { condition.withLock { counters } }

    func attach(to writer: SQLiteConnection) {
        writer.keepAlive(self)
        // "The callback is invoked by SQLite after the commit has taken place and the associated
        // write-lock on the database released", on the committing thread, with the WAL's size in
        // frames; registering it replaces the automatic checkpoint (sqlite3_wal_autocheckpoint).
        sqlite3_wal_hook(
            writer.handle,
            { context, database, _, frames in
                guard let context else { return SQLITE_OK }
                let core = Unmanaged<CheckpointerCore>.fromOpaque(context).takeUnretainedValue()
                if core.walDidGrow(to: Int(frames)) {
                    // The backlog is past the bound: checkpoint here, as SQLite would have.
                    sqlite3_wal_checkpoint_v2(database, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
                }
                return SQLITE_OK
            }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Notes the WAL size after a commit and wakes the thread past the threshold; true when the
    /// caller should checkpoint inline (the WAL reached `inlineFrames`).
    func walDidGrow(to frames: Int) -> Bool {
        condition.withLock {
            counters.lastWALFrames = frames
            if frames >= inlineFrames {
                counters.inlineCheckpoints += 1
                return true
            }
            if frames >= thresholdFrames && pendingFrames == nil && !isClosing {
                pendingFrames = frames
                condition.signal()
            }
            return false
        }
    }

    func shutdown(waitUntilFinished: Bool) {
        condition.withLock {
            isClosing = true
            condition.broadcast()
            while waitUntilFinished && !isFinished { condition.wait() }
        }
    }

    func run() {
        Thread.current.name = "ma-db-checkpoint"
        while waitForWork() {
            guard let connection else { break }
            var walFrames: Int32 = 0
            var copiedFrames: Int32 = 0
            let code = sqlite3_wal_checkpoint_v2(
                connection.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &walFrames, &copiedFrames)
            condition.withLock {
                counters.checkpoints += 1
                // SQLITE_BUSY: another checkpoint (an inline one) was running; the next commit
                // past the threshold asks again. Errors are retried the same way.
                if code != SQLITE_OK { counters.failures += 1 }
                pendingFrames = nil
            }
        }
        connection = nil  // closes this thread's connection
        condition.withLock {
            isFinished = true
            condition.broadcast()
        }
    }

    /// Waits for a WAL past the threshold; false once closing.
    private func waitForWork() -> Bool {
        condition.withLock {
            while pendingFrames == nil && !isClosing { condition.wait() }
            return !isClosing
        }
    }
}
