import CSQLite

/// The kind of `BEGIN` (https://sqlite.org/lang_transaction.html).
package enum SQLiteTransactionKind: String, Sendable {
    /// Takes locks on first use.
    case deferred = "DEFERRED"
    /// "IMMEDIATE causes the database connection to start a new write immediately, without
    /// waiting for a write statement" — so a write never fails half-way with SQLITE_BUSY.
    case immediate = "IMMEDIATE"
    /// Like IMMEDIATE in WAL mode.
    case exclusive = "EXCLUSIVE"
}

extension SQLiteConnection {
    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it (or COMMIT) throws.
    /// Not nestable (SQLite has no nested BEGIN); use `savepoint(_:)` for nested units. Work given to
    /// `DatabaseWriter` already runs inside a transaction.
    package func transaction<T>(_ kind: SQLiteTransactionKind = .deferred, _ body: () throws -> T) throws -> T {
        try run("BEGIN \(kind.rawValue)")
        let result: T
        do {
            result = try body()
            try run("COMMIT")
        } catch {
            rollbackIfNeeded()
            throw error
        }
        return result
    }

    /// Runs `body` in a SAVEPOINT: RELEASE when it returns, ROLLBACK TO (undoing only its own
    /// changes) when it throws. Outside a transaction a savepoint acts as BEGIN DEFERRED … COMMIT.
    package func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepointCounter += 1
        defer { savepointCounter -= 1 }
        let name = "unit\(savepointCounter)"
        try run("SAVEPOINT \(name)")
        let result: T
        do {
            result = try body()
        } catch {
            // "ROLLBACK TO … does not cancel the transaction"; RELEASE then drops the savepoint.
            // If SQLite already rolled the whole transaction back (SQLITE_FULL, SQLITE_IOERR…), the
            // savepoint is gone and these fail harmlessly; the original error is what matters.
            if isInTransaction {
                try? run("ROLLBACK TO \(name)")
                try? run("RELEASE \(name)")
            }
            throw error
        }
        try run("RELEASE \(name)")
        return result
    }

    /// Rolls back the open transaction, if any. "If the transaction has already been rolled back
    /// automatically by the error response, then the ROLLBACK command will fail with an error, but
    /// no harm is caused by this" — hence the autocommit check and the ignored result.
    func rollbackIfNeeded() {
        guard isInTransaction else { return }
        try? run("ROLLBACK")
    }
}
