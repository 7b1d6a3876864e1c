import Foundation

/// A bounded pool of read-only connections, each lent to one caller at a time.
///
/// WAL readers see the last committed state and never wait for the writer; the pool only bounds
/// open connections. `@unchecked Sendable`: `idle`, `openCount` and `isClosed` are only touched
/// under `condition`, and a connection is used by exactly one caller between check-out and check-in.
package final class DatabaseReaderPool: @unchecked Sendable {
    private let condition = NSCondition()
    private let path: String
    private let capacity: Int
    private let busyTimeoutMilliseconds: Int32
    private var idle: [SQLiteConnection] = []
    private var openCount = 0
    private var isClosed = false

    package init(path: String, capacity: Int, busyTimeoutMilliseconds: Int32) {
        precondition(capacity > 0, "a reader pool needs at least one connection")
        self.path = path
        self.capacity = capacity
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }

    /// Runs `work` in a read transaction (one consistent snapshot for all its statements) on a
    /// pooled connection. Blocks while every connection is lent; do not nest reads (a nested read
    /// with the pool exhausted would wait for itself).
    package func read<T>(_ work: (SQLiteConnection) throws -> T) throws -> T {
        try withConnection { connection in
            try connection.transaction(.deferred) { try work(connection) }
        }
    }

    /// Runs `work` on a pooled connection outside any transaction (for backups).
    package func withConnection<T>(_ work: (SQLiteConnection) throws -> T) throws -> T {
        let connection = try checkOut()
        defer { checkIn(connection) }
        return try work(connection)
    }

    /// Closes idle connections now and lent ones when they come back; later reads fail.
    package func close() {
        let closing: [SQLiteConnection] = condition.withLock {
            isClosed = true
            condition.broadcast()
            defer { idle.removeAll() }
            return idle
        }
        _ = closing  // released (closed) here, outside the lock
    }

    private func checkOut() throws -> SQLiteConnection {
        let reused: SQLiteConnection? = try condition.withLock {
            while true {
                guard !isClosed else { throw SQLiteError.closed }
                if let connection = idle.popLast() { return connection }
                if openCount < capacity {
                    openCount += 1
                    return nil  // open one, outside the lock
                }
                condition.wait()
            }
        }
        if let reused { return reused }
        do {
            let connection = try SQLiteConnection(
                path: path, mode: .readOnly, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
            return connection
        } catch {
            condition.withLock {
                openCount -= 1
                condition.signal()
            }
            throw error
        }
    }

    private func checkIn(_ connection: SQLiteConnection) {
        // A connection left inside a transaction by a failed read would pin an old snapshot.
        connection.rollbackIfNeeded()
        condition.withLock {
            if isClosed {
                openCount -= 1
            } else {
                idle.append(connection)
            }
            condition.signal()
        }
    }
}
