import Foundation

/// Tunables of a `Database`; the defaults suit the MA on a small server.
package struct DatabaseConfiguration: Equatable, Sendable {
    /// How long a connection retries a locked database before SQLITE_BUSY (only another process
    /// can hold the write lock; in WAL mode readers never wait for the writer).
    package var busyTimeoutMilliseconds: Int32 = 5_000
    /// The number of read-only connections in the pool (concurrent readers beyond it wait).
    package var readerCount = 4
    /// The most writes one group commit may carry; bounds the latency a batch adds.
    package var maxBatchSize = 512
    /// The longest a batch waits for anticipated writes (seconds); see `WriteAnticipation`.
    package var commitDelay: TimeInterval = 0.001
    /// WAL size (frames, one page each) past which the background checkpointer copies it back into
    /// the database file: SQLite's own automatic-checkpoint default.
    package var checkpointThresholdFrames = 1_000
    /// WAL size past which a checkpoint pass also makes the next commit start the WAL over.
    package var checkpointRestartFrames = 4_000
    /// WAL size at which the writer checkpoints inline, should background checkpoints not keep up.
    package var inlineCheckpointFrames = 16_000

    package init() {}
}
