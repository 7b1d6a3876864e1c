import CSQLite
import Foundation

/// One SQLite database connection; owns its `sqlite3*` and closes it on deinit.
///
/// Threading: connections are opened with `SQLITE_OPEN_NOMUTEX` ("multi-thread" mode: "SQLite
/// can be safely used by multiple threads provided that no single database connection … is used
/// simultaneously in two or more threads"). The class is deliberately not `Sendable`; the types
/// that share connections provide the serialization: `DatabaseWriter` confines its connection to
/// its own thread, `DatabaseReaderPool` lends each connection to one caller at a time under a lock.
///
/// ```swift
/// let connection = try SQLiteConnection(path: path, mode: .readWrite)
/// try connection.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT")
/// try connection.run("INSERT INTO t(name) VALUES (?)", ["alice"])
/// let names = try connection.rows("SELECT name FROM t").map { try $0.text(0) }
/// ```
package final class SQLiteConnection {
    /// How to open the file.
    package enum Mode: Sendable {
        /// Read and write, creating the file if it does not exist.
        case readWrite
        /// Read only; the file must exist.
        case readOnly
    }

    /// The number of cached prepared statements kept before idle ones are finalized.
    package static let statementCacheCapacity = 128

    let handle: OpaquePointer
    /// The file path the connection was opened with.
    package let path: String
    private var statementCache: [String: SQLiteStatement] = [:]
    var savepointCounter = 0
    /// Objects that C callbacks registered on this connection point to; released after the handle
    /// is closed, when no callback can run any more.
    private var callbackContexts: [AnyObject] = []

    /// Opens `path` with extended result codes enabled and a busy timeout.
    package init(path: String, mode: Mode, busyTimeoutMilliseconds: Int32 = 5_000) throws(SQLiteError) {
        // "sqlite3_threadsafe() returns zero if and only if SQLite was compiled with mutexing code
        // omitted"; then even NOMUTEX use from several threads (one at a time) is unsafe.
        guard sqlite3_threadsafe() != 0 else {
            throw .failed(code: SQLITE_MISUSE, message: "libsqlite3 was built single-threaded", sql: nil)
        }
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .readWrite: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            // "Whether or not an error occurs when it is opened, resources associated with the
            // database connection handle should be released by passing it to sqlite3_close()".
            let error = SQLiteError.current(opened, code: code, sql: nil)
            sqlite3_close_v2(opened)
            throw error
        }
        handle = opened
        self.path = path
        // Extended codes tell SQLITE_CONSTRAINT_UNIQUE from SQLITE_CONSTRAINT_FOREIGNKEY and
        // SQLITE_IOERR_FSYNC from SQLITE_IOERR_WRITE; EXRESCODE above does the same since 3.37.
        sqlite3_extended_result_codes(opened, 1)
        // "sets a busy handler that sleeps for a specified amount of time when a table is locked".
        sqlite3_busy_timeout(opened, busyTimeoutMilliseconds)
    }

    deinit {
        // No callback may run once its context is released (right after this deinit).
        if !callbackContexts.isEmpty { sqlite3_wal_hook(handle, nil, nil) }
        statementCache.removeAll()
        // close_v2: if a statement outlives us somewhere, the handle becomes a "zombie" that is
        // freed with the last statement instead of failing with SQLITE_BUSY.
        sqlite3_close_v2(handle)
    }

    /// Keeps `context` alive as long as this connection, for a callback registered with it
    /// (`sqlite3_wal_hook`) that holds only an unretained pointer.
    func keepAlive(_ context: AnyObject) {
        callbackContexts.append(context)
    }

    private func check(_ code: Int32, sql: String?) throws(SQLiteError) {
        guard code == SQLITE_OK else { throw SQLiteError.current(handle, code: code, sql: sql) }
    }

    // MARK: Scripts

    /// Runs every statement of `script` in order (result rows are discarded); for migrations and
    /// PRAGMAs. Stops at the first error, which names the failing statement.
    package func execute(_ script: String) throws(SQLiteError) {
        var failure: SQLiteError?
        script.withCString { start in
            var cursor: UnsafePointer<CChar>? = start
            while let current = cursor, current.pointee != 0 {
                var statement: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let code = sqlite3_prepare_v2(handle, current, -1, &statement, &tail)
                guard code == SQLITE_OK else {
                    failure = .current(handle, code: code, sql: String(cString: current))
                    return
                }
                cursor = tail
                // "If the input text contains no SQL (if the input is an empty string or a
                // comment) then *ppStmt is set to NULL."
                guard let statement else { continue }
                defer { sqlite3_finalize(statement) }
                var step = sqlite3_step(statement)
                while step == SQLITE_ROW { step = sqlite3_step(statement) }
                guard step == SQLITE_DONE else {
                    let sql = sqlite3_sql(statement).map {
                        String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines)
                    }
                    failure = .current(handle, code: step, sql: sql)
                    return
                }
            }
        }
        if let failure { throw failure }
    }

    // MARK: Statements

    /// Prepares `sql` outside the cache; the caller owns the statement.
    package func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        try prepare(sql, flags: 0)
    }

    private func prepare(_ sql: String, flags: UInt32) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        var trailing = false
        let code = sql.withCString { start in
            let code = sqlite3_prepare_v3(handle, start, -1, flags, &statement, &tail)
            if code == SQLITE_OK, let tail {
                trailing = String(cString: tail).contains { !$0.isWhitespace && $0 != ";" }
            }
            return code
        }
        try check(code, sql: sql)
        guard let statement else {
            throw .parameterMismatch("no SQL statement in \"\(sql)\"")
        }
        guard !trailing else {
            sqlite3_finalize(statement)
            // Only the first statement would run; a script belongs in `execute(_:)`.
            throw .parameterMismatch("more than one statement in \"\(sql)\"; use execute(_:)")
        }
        return SQLiteStatement(handle: statement, sql: sql)
    }

    /// Runs `body` with the cached statement for `sql` (prepared on first use), reset and with
    /// bindings cleared afterwards. A nested use of the same SQL gets a fresh, uncached statement.
    package func withStatement<T>(_ sql: String, _ body: (SQLiteStatement) throws -> T) throws -> T {
        let statement: SQLiteStatement
        if let cached = statementCache[sql], !cached.isInUse {
            statement = cached
        } else if statementCache[sql] != nil {
            statement = try prepare(sql)
        } else {
            // SQLITE_PREPARE_PERSISTENT: "a hint to the query planner that the prepared statement
            // will be retained for a long time and probably reused many times".
            statement = try prepare(sql, flags: UInt32(SQLITE_PREPARE_PERSISTENT))
            evictIfFull()
            statementCache[sql] = statement
        }
        statement.isInUse = true
        defer {
            statement.reset()
            statement.clearBindings()
            statement.isInUse = false
        }
        return try body(statement)
    }

    /// The number of statements in the cache (for tests and diagnostics).
    package var cachedStatementCount: Int { statementCache.count }

    private func evictIfFull() {
        guard statementCache.count >= Self.statementCacheCapacity else { return }
        // Dynamic SQL would otherwise grow the cache without bound; statements in use stay.
        statementCache = statementCache.filter { $0.value.isInUse }
    }

    /// Runs one statement with positional arguments, discarding any rows.
    package func run(_ sql: String, _ arguments: [SQLiteValue] = []) throws {
        try withStatement(sql) { statement in
            try statement.bind(arguments)
            while try statement.step() {}
        }
    }

    /// Runs one statement with named arguments (`:name`), discarding any rows.
    package func run(_ sql: String, _ arguments: [String: SQLiteValue]) throws {
        try withStatement(sql) { statement in
            try statement.bind(arguments)
            while try statement.step() {}
        }
    }

    /// All rows of one query with positional arguments.
    package func rows(_ sql: String, _ arguments: [SQLiteValue] = []) throws -> [SQLiteRow] {
        try withStatement(sql) { statement in
            try statement.bind(arguments)
            return try statement.allRows()
        }
    }

    /// All rows of one query with named arguments.
    package func rows(_ sql: String, _ arguments: [String: SQLiteValue]) throws -> [SQLiteRow] {
        try withStatement(sql) { statement in
            try statement.bind(arguments)
            return try statement.allRows()
        }
    }

    /// The first row of one query, or nil when there is none.
    package func firstRow(_ sql: String, _ arguments: [SQLiteValue] = []) throws -> SQLiteRow? {
        try withStatement(sql) { statement in
            try statement.bind(arguments)
            return try statement.step() ? statement.row() : nil
        }
    }

    // MARK: State

    /// "the number of rows modified, inserted or deleted by the most recently completed INSERT,
    /// UPDATE or DELETE statement".
    package var changes: Int { Int(sqlite3_changes64(handle)) }

    /// "the rowid of the most recent successful INSERT into a rowid table".
    package var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// True inside BEGIN … COMMIT: "The sqlite3_get_autocommit() interface returns non-zero or
    /// zero if the given database connection is or is not in autocommit mode", and "autocommit
    /// mode is disabled by a BEGIN statement" and re-enabled by COMMIT or ROLLBACK, including an
    /// automatic rollback after some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM, …).
    package var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    // MARK: PRAGMAs

    /// Switches to write-ahead logging and checks that it took: the pragma answers with the mode
    /// now in effect, which stays "memory" for in-memory databases and can fail on some file systems.
    package func enableWAL() throws {
        let answer = try firstRow("PRAGMA journal_mode=WAL")
        let mode = answer.flatMap { try? $0.optionalText(0) }?.lowercased() ?? "unknown"
        guard mode == "wal" else { throw SQLiteError.journalModeNotApplied(requested: "wal", actual: mode) }
    }

    /// `PRAGMA user_version`, the schema version that migrations maintain.
    package func userVersion() throws -> Int32 {
        guard let value = try firstRow("PRAGMA user_version")?.int64(0) else { return 0 }
        return Int32(truncatingIfNeeded: value)
    }

    /// Sets `PRAGMA user_version` (PRAGMAs take no bound parameters, hence the literal).
    package func setUserVersion(_ version: Int32) throws(SQLiteError) {
        try execute("PRAGMA user_version = \(version)")
    }
}
