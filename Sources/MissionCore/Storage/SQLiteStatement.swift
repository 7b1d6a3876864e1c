import CSQLite

/// A prepared statement; owns its `sqlite3_stmt*` and finalizes it on deinit.
///
/// Not `Sendable`: a statement belongs to its connection, and a connection is used by one thread
/// at a time (see `SQLiteConnection`).
package final class SQLiteStatement {
    let handle: OpaquePointer
    /// The SQL text the statement was prepared from (the statement-cache key).
    package let sql: String
    /// Set while a caller of the connection's statement cache is using it, so that a nested use of
    /// the same SQL gets its own statement instead of resetting this one mid-iteration.
    var isInUse = false
    /// The bytes of TEXT and BLOB parameters, one buffer per parameter, reused across runs (see
    /// `bindBytes`). Owned here, freed only after `sqlite3_finalize`.
    private var parameterBuffers: [UnsafeMutableRawBufferPointer?]

    /// Values longer than this are bound with a copy (SQLITE_TRANSIENT) instead of through a
    /// parameter buffer, so that a cached statement never holds a large buffer for its lifetime.
    static let reusedBufferLimit = 4_096

    init(handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.sql = sql
        parameterBuffers = Array(repeating: nil, count: Int(sqlite3_bind_parameter_count(handle)))
    }

    deinit {
        // "Invoking sqlite3_finalize() on a NULL pointer is a harmless no-op"; its return code only
        // repeats the last step's error, which the caller already saw.
        sqlite3_finalize(handle)
        // Only now, with the statement gone, can no SQLITE_STATIC binding point into the buffers.
        for buffer in parameterBuffers { buffer?.deallocate() }
    }

    private var connectionHandle: OpaquePointer? { sqlite3_db_handle(handle) }

    private func check(_ code: Int32) throws(SQLiteError) {
        guard code == SQLITE_OK else { throw SQLiteError.current(connectionHandle, code: code, sql: sql) }
    }

    // MARK: Binding

    /// The number of parameters (`?`, `?NNN`, `:name`, `@name`, `$name`) in the statement.
    package var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Binds `value` to the 1-based parameter `index`.
    package func bind(_ value: SQLiteValue, at index: Int) throws(SQLiteError) {
        let position = Int32(index)
        let code: Int32
        switch value {
        case .null:
            code = sqlite3_bind_null(handle, position)
        case .integer(let integer):
            code = sqlite3_bind_int64(handle, position, integer)
        case .real(let real):
            code = sqlite3_bind_double(handle, position, real)
        case .text(let text):
            // Native strings are contiguous UTF-8; only a bridged one takes the copying path.
            code =
                text.utf8.withContiguousStorageIfAvailable {
                    bindBytes(UnsafeRawBufferPointer($0), at: position, asText: true)
                } ?? Array(text.utf8).withUnsafeBytes { bindBytes($0, at: position, asText: true) }
        case .blob(let bytes):
            if bytes.isEmpty {
                // A NULL data pointer would bind NULL, not an empty blob.
                code = sqlite3_bind_zeroblob(handle, position, 0)
            } else {
                code = bytes.withUnsafeBytes { bindBytes($0, at: position, asText: false) }
            }
        }
        try check(code)
    }

    /// Binds `bytes` as TEXT or BLOB to `position` without SQLite copying them (SQLITE_TRANSIENT
    /// cost one `malloc` per bound value per run, ≈ 8 per token grant on the writer thread).
    ///
    /// Why this cannot dangle: the bytes are copied into this statement's own buffer for that
    /// parameter and bound with SQLITE_STATIC, which SQLite requires to stay valid and unchanged
    /// "until either the prepared statement is finalized or the same SQL parameter is bound to
    /// something else". The buffer is rewritten or replaced only here, and only after
    /// `sqlite3_bind_null` on the same parameter succeeded: that call detaches the old value (and
    /// fails with SQLITE_MISUSE, touching nothing, while the statement is running, which is also
    /// the only error the real bind would give besides SQLITE_RANGE). The buffers are freed in
    /// `deinit`, after `sqlite3_finalize`. Large values keep the copying bind (see
    /// `reusedBufferLimit`).
    private func bindBytes(_ bytes: UnsafeRawBufferPointer, at position: Int32, asText: Bool) -> Int32 {
        let slot = Int(position) - 1
        guard bytes.count <= Self.reusedBufferLimit, parameterBuffers.indices.contains(slot) else {
            // SQLITE_TRANSIENT: "SQLite makes its own private copy of the data immediately, before
            // the sqlite3_bind_*() routine returns". An out-of-range position gets SQLITE_RANGE.
            return bindCopying(bytes, at: position, asText: asText)
        }
        let detached = sqlite3_bind_null(handle, position)
        guard detached == SQLITE_OK else { return detached }
        var buffer: UnsafeMutableRawBufferPointer
        if let existing = parameterBuffers[slot], existing.count >= bytes.count {
            buffer = existing
        } else {
            parameterBuffers[slot]?.deallocate()
            parameterBuffers[slot] = nil
            // At least 64 bytes and a power of two, so that slowly growing values regrow rarely;
            // never empty, so an empty TEXT gets a non-NULL pointer (NULL would bind NULL).
            let wanted = max(64, bytes.count)
            let capacity = 1 << (Int.bitWidth - (wanted - 1).leadingZeroBitCount)
            buffer = .allocate(byteCount: capacity, alignment: 16)
            parameterBuffers[slot] = buffer
        }
        if let source = bytes.baseAddress, !bytes.isEmpty {
            buffer.baseAddress!.copyMemory(from: source, byteCount: bytes.count)
        }
        let start = buffer.baseAddress!
        let length = Int32(bytes.count)
        return asText
            ? sqlite3_bind_text(handle, position, start.assumingMemoryBound(to: CChar.self), length, csqlite_static())
            : sqlite3_bind_blob(handle, position, start, length, csqlite_static())
    }

    /// Binds `bytes` with SQLite's own copy (the fallback of `bindBytes`).
    private func bindCopying(_ bytes: UnsafeRawBufferPointer, at position: Int32, asText: Bool) -> Int32 {
        let length = Int32(clamping: bytes.count)
        guard asText else {
            return sqlite3_bind_blob(handle, position, bytes.baseAddress, length, csqlite_transient())
        }
        // A NULL pointer would bind NULL: an empty text gets a pointer to an empty C string.
        guard let start = bytes.baseAddress, !bytes.isEmpty else {
            return sqlite3_bind_text(handle, position, "", 0, csqlite_transient())
        }
        return sqlite3_bind_text(
            handle, position, start.assumingMemoryBound(to: CChar.self), length, csqlite_transient())
    }

    /// Binds `values` to parameters 1...n; the count must match the statement's parameters.
    package func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        guard values.count == parameterCount else {
            throw .parameterMismatch("\(values.count) arguments for \(parameterCount) parameters in \(sql)")
        }
        for (offset, value) in values.enumerated() { try bind(value, at: offset + 1) }
    }

    /// Binds named arguments (`"id"` or `":id"` for `:id`); every parameter must be named and bound.
    package func bind(_ named: [String: SQLiteValue]) throws(SQLiteError) {
        guard named.count == parameterCount else {
            throw .parameterMismatch("\(named.count) arguments for \(parameterCount) parameters in \(sql)")
        }
        for (name, value) in named {
            let key = name.first.map { ":@$".contains($0) } == true ? name : ":" + name
            // "Zero is returned if no matching parameter is found."
            let index = sqlite3_bind_parameter_index(handle, key)
            guard index > 0 else { throw .parameterMismatch("no parameter \(key) in \(sql)") }
            try bind(value, at: Int(index))
        }
    }

    /// Sets every parameter back to NULL ("Contrary to the intuition of many, sqlite3_reset() does
    /// not reset the bindings on a prepared statement").
    package func clearBindings() { sqlite3_clear_bindings(handle) }

    /// Rewinds the statement so that it can run again; bindings are kept.
    package func reset() {
        // The return code repeats the last step's error, already reported by `step()`.
        sqlite3_reset(handle)
    }

    // MARK: Stepping

    /// Advances to the next row: true when a row is available, false when the statement is done.
    package func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteError.current(connectionHandle, code: code, sql: sql)
        }
    }

    /// The number of columns in the result.
    package var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The value of column `index` (0-based) of the current row.
    package func value(at index: Int) -> SQLiteValue {
        let column = Int32(index)
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            // "call sqlite3_column_text() first to force the result into the desired format, then
            // invoke sqlite3_column_bytes() to find the size of the result".
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            // "The return value from sqlite3_column_blob() for a zero-length BLOB is a NULL pointer."
            guard let blob = sqlite3_column_blob(handle, column) else { return .blob([]) }
            let count = Int(sqlite3_column_bytes(handle, column))
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default:
            return .null
        }
    }

    /// The storage class of column `index` in the current row (`SQLITE_INTEGER`, `SQLITE_TEXT`,
    /// `SQLITE_BLOB`, `SQLITE_FLOAT` or `SQLITE_NULL`).
    package func columnType(at index: Int) -> Int32 { sqlite3_column_type(handle, Int32(index)) }

    /// The integer in column `index`, with no copy; the caller checked the type first.
    package func columnInt64(at index: Int) -> Int64 { sqlite3_column_int64(handle, Int32(index)) }

    /// Runs `body` on the bytes of a TEXT or BLOB column `index` in place, without copying them
    /// out: the pointer is SQLite's and "valid until … sqlite3_step() or sqlite3_reset() or
    /// sqlite3_finalize() is called", so it must not escape `body`. The caller checked the type
    /// first (a conversion would move the buffer).
    package func withColumnBytes<T>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let column = Int32(index)
        // Text first, then its size, as the C documentation asks; a zero-length value may have a
        // NULL pointer, which is an empty buffer here.
        let start: UnsafeRawPointer? =
            sqlite3_column_type(handle, column) == SQLITE_TEXT
            ? sqlite3_column_text(handle, column).map { UnsafeRawPointer($0) }
            : sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeRawBufferPointer(start: count > 0 ? start : nil, count: count))
    }

    /// Binds UTF-8 `bytes` as TEXT to the 1-based parameter `index` (a JSON text built as bytes,
    /// without a detour through `String`).
    package func bindText(utf8 bytes: [UInt8], at index: Int) throws(SQLiteError) {
        let code = bytes.withUnsafeBytes { bindBytes($0, at: Int32(index), asText: true) }
        try check(code)
    }

    /// The current row, copied.
    package func row() -> SQLiteRow {
        SQLiteRow((0..<columnCount).map { value(at: $0) })
    }

    /// Steps to the end, collecting every row.
    package func allRows() throws(SQLiteError) -> [SQLiteRow] {
        var rows: [SQLiteRow] = []
        while try step() { rows.append(row()) }
        return rows
    }
}
