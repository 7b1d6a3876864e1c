import CSQLite
import Foundation

/// Copies the write-ahead log back into the database file on a thread of its own, so that no
/// group commit waits for it.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that takes the WAL past 1,000 frames: that
/// commit's callers (a whole batch of token requests) wait while hundreds of pages are written to
/// the database file and fsynced, and so does the next batch. Under load that stall was the tail
/// of the latency distribution. Here the writer connection's automatic checkpoint is replaced by
/// a WAL hook, which only notes the WAL's size; once `thresholdFrames` have not been copied, this
/// thread runs a PASSIVE checkpoint on its own connection ("checkpoint as many frames as possible
/// without waiting for any database readers or writers to finish", sqlite3_wal_checkpoint_v2),
/// concurrently with the next commits. SQLite starts the WAL over only when it has been wholly
/// copied before a write transaction begins, which passes running beside the writer never achieve;
/// so past `restartFrames`, after a pass, the writer copies what it left (what was committed while
/// it ran) itself after its commit, a short inline checkpoint, and its next transaction starts
/// the WAL over. Should the WAL still reach `inlineFrames` (checkpoints failing, e.g. on a full
/// disk), the writer checkpoints inline as SQLite would have, which bounds the file.
///
/// Durability is unchanged: a checkpoint only copies committed frames, and with synchronous=FULL
/// SQLite syncs the WAL before and the database file after copying.
///
/// ```swift
/// let checkpointer = try WALCheckpointer(
///     path: path, thresholdFrames: 1_000, restartFrames: 4_000, inlineFrames: 16_000)
/// checkpointer.attach(to: writerConnection)     // before the writer thread takes the connection
/// …
/// checkpointer.close()                           // after the writer has closed
/// ```
package final class WALCheckpointer: Sendable {
    /// Counters for diagnostics and tests.
    package struct Statistics: Equatable, Sendable {
        /// Background checkpoints run (whatever their outcome).
        package var checkpoints = 0
        /// Background checkpoints that failed (I/O error, full disk); a pass that found another
        /// checkpoint running (SQLITE_BUSY) is not counted: it is simply asked for again.
        package var failures = 0
        /// Writer-side copies of the last frames that let the next commit start the WAL over.
        package var restarts = 0
        /// Checkpoints the writer ran inline because the WAL reached `inlineFrames`.
        package var inlineCheckpoints = 0
        /// The WAL size in frames after the most recent commit.
        package var lastWALFrames = 0
    }

    private let core: CheckpointerCore

    /// Opens the checkpointer's own connection to `path` (which must already be in WAL mode) and
    /// starts its thread.
    package init(
        path: String, thresholdFrames: Int, restartFrames: Int, inlineFrames: Int,
        busyTimeoutMilliseconds: Int32 = 5_000
    ) throws(SQLiteError) {
        precondition(thresholdFrames > 0 && restartFrames > 0 && inlineFrames > 0, "WAL sizes must be positive")
        let connection = try SQLiteConnection(
            path: path, mode: .readWrite, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        // The checkpoint syncs the database file only when synchronous is FULL or NORMAL on the
        // connection that runs it.
        try connection.execute("PRAGMA synchronous = FULL")
        core = CheckpointerCore(
            connection: connection, thresholdFrames: thresholdFrames, restartFrames: restartFrames,
            inlineFrames: inlineFrames)
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
/// `@unchecked Sendable`: `checkpointedThrough`, `isDue`, `isClosing`, `isFinished` and `counters`
/// are only touched under `condition`; `connection` only by the checkpointer thread.
private final class CheckpointerCore: @unchecked Sendable {
    private let condition = NSCondition()
    private let thresholdFrames: Int
    private let restartFrames: Int
    private let inlineFrames: Int
    private var connection: SQLiteConnection?
    /// Frames of the current WAL already copied into the database file (0 after a restart).
    private var checkpointedThrough = 0
    /// A pass has been asked for and has not finished.
    private var isDue = false
    private var isClosing = false
    private var isFinished = false
    private var counters = WALCheckpointer.Statistics()

    init(connection: SQLiteConnection, thresholdFrames: Int, restartFrames: Int, inlineFrames: Int) {
        self.connection = connection
        self.thresholdFrames = thresholdFrames
        self.restartFrames = restartFrames
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
                switch core.walDidGrow(to: Int(frames)) {
                case .nothing:
                    break
                case .copyRemainder:
                    // Only the writer can copy the last frames with none appended meanwhile, which
                    // is what lets its next transaction start the WAL over.
                    var walFrames: Int32 = 0
                    var copiedFrames: Int32 = 0
                    let code = sqlite3_wal_checkpoint_v2(
                        database, nil, SQLITE_CHECKPOINT_PASSIVE, &walFrames, &copiedFrames)
                    core.remainderCopied(complete: code == SQLITE_OK && copiedFrames == walFrames)
                case .bound:
                    // The WAL reached its bound: checkpoint here, as SQLite would have.
                    sqlite3_wal_checkpoint_v2(database, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
                }
                return SQLITE_OK
            }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// What the writer does after a commit.
    enum WriterAction {
        /// Nothing (the checkpointer thread may have been woken).
        case nothing
        /// Copy the few frames the last background pass left, so that the WAL can start over.
        case copyRemainder
        /// Checkpoint inline: the WAL reached `inlineFrames`.
        case bound
    }

    /// Notes the WAL size after a commit and wakes the thread once `thresholdFrames` have not been
    /// copied; past `restartFrames`, with less than that left, the writer copies the rest itself.
    func walDidGrow(to frames: Int) -> WriterAction {
        condition.withLock {
            counters.lastWALFrames = frames
            // A WAL shorter than what was copied has been started over by this commit.
            if frames < checkpointedThrough { checkpointedThrough = 0 }
            if frames >= inlineFrames {
                counters.inlineCheckpoints += 1
                return .bound
            }
            let backlog = frames - checkpointedThrough
            if isDue || isClosing { return .nothing }
            // What a pass leaves is what was committed while it ran: usually far fewer frames than
            // a whole checkpoint's worth, so the writer's share is short. Passes slower than that
            // (a starved checkpointer thread) always leave more; at twice the size the writer
            // copies the rest anyway, a pass's worth at most, rather than let the WAL grow on.
            if frames >= restartFrames && (backlog < thresholdFrames || frames >= 2 * restartFrames) {
                return .copyRemainder
            }
            if backlog >= thresholdFrames {
                isDue = true
                condition.signal()
            }
            return .nothing
        }
    }

    /// Counts a writer-side copy that left nothing behind (the next commit starts the WAL over).
    func remainderCopied(complete: Bool) {
        condition.withLock {
            if complete { counters.restarts += 1 }
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
            // PASSIVE copies what it can without waiting for anyone; the writer keeps committing.
            let code = sqlite3_wal_checkpoint_v2(
                connection.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &walFrames, &copiedFrames)
            condition.withLock {
                counters.checkpoints += 1
                // SQLITE_BUSY (an inline checkpoint was running), I/O errors and a full disk are
                // retried: the next commit past the threshold asks again.
                if code == SQLITE_OK {
                    checkpointedThrough = max(checkpointedThrough, Int(copiedFrames))
                } else if code & 0xFF != SQLITE_BUSY {
                    counters.failures += 1
                }
                isDue = false
            }
        }
        connection = nil  // closes this thread's connection
        condition.withLock {
            isFinished = true
            condition.broadcast()
        }
    }

    /// Waits until a pass is due; false once closing.
    private func waitForWork() -> Bool {
        condition.withLock {
            while !isDue && !isClosing { condition.wait() }
            return !isClosing
        }
    }
}
