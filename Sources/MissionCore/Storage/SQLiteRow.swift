/// One result row, copied out of the statement, with strictly typed access: asking for an
/// integer from a text column is an error, never a silent SQLite conversion.
package struct SQLiteRow: Equatable, Sendable {
    /// The row's values in column order.
    package let values: [SQLiteValue]

    package init(_ values: [SQLiteValue]) { self.values = values }

    /// The number of columns.
    package var count: Int { values.count }

    /// The value at `index`; precondition: `index < count` (a bug in the caller's SQL, not input).
    package subscript(index: Int) -> SQLiteValue {
        precondition(values.indices.contains(index), "column \(index) out of range (\(values.count) columns)")
        return values[index]
    }

    /// The integer at `index`.
    package func int64(_ index: Int) throws(SQLiteError) -> Int64 {
        guard let value = try optionalInt64(index) else { throw mismatch(index, "integer") }
        return value
    }

    /// The integer at `index`, or nil for NULL.
    package func optionalInt64(_ index: Int) throws(SQLiteError) -> Int64? {
        switch self[index] {
        case .null: return nil
        case .integer(let value): return value
        default: throw mismatch(index, "integer")
        }
    }

    /// The real at `index`.
    package func double(_ index: Int) throws(SQLiteError) -> Double {
        guard let value = try optionalDouble(index) else { throw mismatch(index, "real") }
        return value
    }

    /// The real at `index`, or nil for NULL.
    package func optionalDouble(_ index: Int) throws(SQLiteError) -> Double? {
        switch self[index] {
        case .null: return nil
        case .real(let value): return value
        default: throw mismatch(index, "real")
        }
    }

    /// The text at `index`.
    package func text(_ index: Int) throws(SQLiteError) -> String {
        guard let value = try optionalText(index) else { throw mismatch(index, "text") }
        return value
    }

    /// The text at `index`, or nil for NULL.
    package func optionalText(_ index: Int) throws(SQLiteError) -> String? {
        switch self[index] {
        case .null: return nil
        case .text(let value): return value
        default: throw mismatch(index, "text")
        }
    }

    /// The blob at `index`.
    package func blob(_ index: Int) throws(SQLiteError) -> [UInt8] {
        guard let value = try optionalBlob(index) else { throw mismatch(index, "blob") }
        return value
    }

    /// The blob at `index`, or nil for NULL.
    package func optionalBlob(_ index: Int) throws(SQLiteError) -> [UInt8]? {
        switch self[index] {
        case .null: return nil
        case .blob(let value): return value
        default: throw mismatch(index, "blob")
        }
    }

    /// True when the value at `index` is NULL.
    package func isNull(_ index: Int) -> Bool { self[index] == .null }

    private func mismatch(_ index: Int, _ expected: String) -> SQLiteError {
        .columnType(index: index, expected: expected, actual: self[index].typeName)
    }
}
