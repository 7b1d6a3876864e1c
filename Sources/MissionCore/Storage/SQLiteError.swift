import CSQLite

/// An error from the storage layer: a failed SQLite call (with its extended result code, the
/// message `sqlite3_errmsg` gave at once, and the SQL), or a rule of this layer that was broken.
public enum SQLiteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// SQLite returned `code` (an extended result code, e.g. 1555 = SQLITE_CONSTRAINT_PRIMARYKEY).
    case failed(code: Int32, message: String, sql: String?)
    /// `PRAGMA journal_mode=WAL` answered with another mode (e.g. "memory" for an in-memory database).
    case journalModeNotApplied(requested: String, actual: String)
    /// The file's `PRAGMA user_version` is newer than any migration this build knows: a newer
    /// release wrote it, and this one must not guess at its schema.
    case schemaNewerThanCode(databaseVersion: Int32, newestKnownVersion: Int32)
    /// The migration list is not strictly increasing positive versions.
    case invalidMigrations(String)
    /// A column did not hold the type the caller asked for (no silent conversion).
    case columnType(index: Int, expected: String, actual: String)
    /// A named argument matches no parameter of the statement, or a parameter was left unbound.
    case parameterMismatch(String)
    /// The database or writer was closed.
    case closed
    /// The backup destination already exists (backups never overwrite a file).
    case backupDestinationExists(String)

    /// The extended result code, for `.failed`.
    public var extendedCode: Int32? {
        if case .failed(let code, _, _) = self { return code }
        return nil
    }

    /// The primary result code (the low 8 bits of the extended code), for `.failed`.
    public var primaryCode: Int32? { extendedCode.map { $0 & 0xFF } }

    /// True when SQLite reported the disk or the size cap as full (SQLITE_FULL).
    public var isFull: Bool { primaryCode == SQLITE_FULL }

    public var description: String {
        switch self {
        case .failed(let code, let message, let sql):
            return "SQLite error \(code): \(message)" + (sql.map { " (SQL: \($0))" } ?? "")
        case .journalModeNotApplied(let requested, let actual):
            return "journal_mode=\(requested) was not applied; the database is in \(actual) mode"
        case .schemaNewerThanCode(let found, let known):
            return "database schema version \(found) is newer than this build knows (\(known)); "
                + "refusing to open it with an older release"
        case .invalidMigrations(let reason): return "invalid migrations: \(reason)"
        case .columnType(let index, let expected, let actual):
            return "column \(index) holds \(actual), expected \(expected)"
        case .parameterMismatch(let reason): return "statement parameters: \(reason)"
        case .closed: return "the database is closed"
        case .backupDestinationExists(let path): return "backup destination already exists: \(path)"
        }
    }

    /// Captures the connection's current error at once: "If a prior API call failed but the most
    /// recent API call succeeded, the return value from sqlite3_errcode() is undefined", so this
    /// must run right after the failing call, on the thread that made it.
    static func current(_ handle: OpaquePointer?, code: Int32, sql: String?) -> SQLiteError {
        guard let handle else {
            return .failed(code: code, message: String(cString: sqlite3_errstr(code)), sql: sql)
        }
        let extended = sqlite3_extended_errcode(handle)
        let message = sqlite3_errmsg(handle).map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
        // The connection's error can be older than `code` if the failing call does not set it.
        return .failed(code: (extended & 0xFF) == (code & 0xFF) ? extended : code, message: message, sql: sql)
    }
}
