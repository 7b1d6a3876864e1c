import CSQLite
import Foundation

/// An SQLite database file opened the MA's way: WAL, synchronous=FULL, foreign keys, migrated,
/// one group-committing `writer`, a background WAL checkpointer, and a pool of readers.
///
/// ```swift
/// let database = try Database.open(at: "/var/lib/ma/ma.sqlite", migrations: Schema.migrations)
/// try await database.writer.write { db in try db.run("INSERT INTO audit(body) VALUES (?)", [.blob(bytes)]) }
/// let count = try database.read { db in try db.firstRow("SELECT count(*) FROM audit")?.int64(0) }
/// database.close()
/// ```
package final class Database: Sendable {
    /// The database file.
    package let path: String
    /// The only writer.
    package let writer: DatabaseWriter
    let readers: DatabaseReaderPool
    /// Copies the WAL into the database file off the commit path.
    package let checkpointer: WALCheckpointer

    private init(path: String, writer: DatabaseWriter, checkpointer: WALCheckpointer, readers: DatabaseReaderPool) {
        self.path = path
        self.writer = writer
        self.checkpointer = checkpointer
        self.readers = readers
    }

    /// Opens (creating it and its folder if needed) the database at `path` and applies `migrations`
    /// on the write connection before the writer starts. Throws `schemaNewerThanCode` for a file
    /// written by a newer release, `journalModeNotApplied` if WAL cannot be used.
    package static func open(
        at path: String, migrations: [SQLiteMigration], configuration: DatabaseConfiguration = .init()
    ) throws -> Database {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            do {
                // Owner-only: the file holds audit records and hashed credentials.
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw SQLiteError.failed(
                    code: SQLITE_CANTOPEN, message: "cannot create the folder \(folder): \(error)", sql: nil)
            }
        }
        let connection = try SQLiteConnection(
            path: path, mode: .readWrite, busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds)
        try connection.enableWAL()
        // "In WAL mode when synchronous is FULL, the WAL file is synchronized before each
        // transaction commit", so a commit survives power loss, not only a process crash.
        try connection.execute("PRAGMA synchronous = FULL")
        // Off by default for compatibility; "must be enabled separately for each database connection".
        try connection.execute("PRAGMA foreign_keys = ON")
        try SQLiteMigration.apply(migrations, on: connection)
        let checkpointer = try WALCheckpointer(
            path: path, thresholdFrames: configuration.checkpointThresholdFrames,
            restartFrames: configuration.checkpointRestartFrames, inlineFrames: configuration.inlineCheckpointFrames,
            busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds)
        checkpointer.attach(to: connection)
        let writer = DatabaseWriter(
            connection: connection, maxBatchSize: configuration.maxBatchSize, commitDelay: configuration.commitDelay)
        let readers = DatabaseReaderPool(
            path: path, capacity: configuration.readerCount,
            busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds)
        return Database(path: path, writer: writer, checkpointer: checkpointer, readers: readers)
    }

    /// Runs `work` on a read-only connection in one snapshot of the last committed state.
    package func read<T>(_ work: (SQLiteConnection) throws -> T) throws -> T {
        try readers.read(work)
    }

    /// Shorthand for `writer.write`: returns once the write is durable.
    @discardableResult
    package func write<T: Sendable>(_ work: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await writer.write(work)
    }

    /// `PRAGMA integrity_check`: the problems found, empty when the file is sound.
    package func integrityCheck() throws -> [String] {
        let lines = try readers.withConnection { connection in
            try connection.rows("PRAGMA integrity_check").map { try $0.text(0) }
        }
        return lines == ["ok"] ? [] : lines
    }

    /// Finishes queued writes and closes every connection; later calls fail with `.closed`.
    package func close() {
        writer.close()
        checkpointer.close()
        readers.close()
    }
}
