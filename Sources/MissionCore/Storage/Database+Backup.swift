import CSQLite
import Foundation

extension Database {
    /// Copies a consistent snapshot of the database to a new file at `destination` with the
    /// online backup API, while writes continue. The copy is written to `destination.partial`
    /// and renamed into place only when complete; an existing `destination` is never overwritten.
    package func backup(to destination: String) throws {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw SQLiteError.backupDestinationExists(destination)
        }
        let partial = destination + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            try readers.withConnection { source in
                let target = try SQLiteConnection(path: partial, mode: .readWrite)
                try Self.copy(from: source, to: target)
                // A self-contained single file: rollback-journal mode leaves no -wal beside it.
                // Opening the copy with `Database.open` switches it back to WAL.
                try target.execute("PRAGMA journal_mode = DELETE")
            }
            // rename(2) is atomic: readers of `destination` see nothing or the whole copy.
            guard rename(partial, destination) == 0 else {
                let code = errno
                throw SQLiteError.failed(
                    code: SQLITE_IOERR, message: "rename to \(destination): \(String(cString: strerror(code)))",
                    sql: nil)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }

    private static func copy(from source: SQLiteConnection, to target: SQLiteConnection) throws {
        // "sqlite3_backup_init() returns NULL on failure … the error code and message are stored
        // in the destination database connection".
        guard let backup = sqlite3_backup_init(target.handle, "main", source.handle, "main") else {
            throw SQLiteError.current(target.handle, code: sqlite3_errcode(target.handle), sql: nil)
        }
        // "If N is negative, all remaining source pages are copied" in one step, under one read
        // transaction on the source: a consistent snapshot, and a WAL reader never blocks the writer.
        var step = sqlite3_backup_step(backup, -1)
        var retries = 0
        while (step == SQLITE_BUSY || step == SQLITE_LOCKED) && retries < 50 {
            // Only another process's exclusive lock can cause this; back off briefly.
            retries += 1
            usleep(20_000)
            step = sqlite3_backup_step(backup, -1)
        }
        // "sqlite3_backup_finish() … returns SQLITE_OK if no errors … otherwise an error code",
        // and the destination connection then holds the message.
        let finish = sqlite3_backup_finish(backup)
        guard step == SQLITE_DONE, finish == SQLITE_OK else {
            let code = step == SQLITE_DONE ? finish : step
            throw SQLiteError.current(target.handle, code: code, sql: nil)
        }
    }
}
