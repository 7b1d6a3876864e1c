/// One SQLite value in one of its five storage classes (https://sqlite.org/datatype3.html).
package enum SQLiteValue: Equatable, Hashable, Sendable {
    case null
    case integer(Int64)
    /// A double; SQLite stores a NaN as NULL.
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// The storage-class name, as `typeof()` spells it; for error messages.
    package var typeName: String {
        switch self {
        case .null: return "null"
        case .integer: return "integer"
        case .real: return "real"
        case .text: return "text"
        case .blob: return "blob"
        }
    }

    /// `.integer(Int64(value))`.
    package static func int(_ value: Int) -> SQLiteValue { .integer(Int64(value)) }
}

extension SQLiteValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByNilLiteral
{
    package init(integerLiteral value: Int64) { self = .integer(value) }
    package init(floatLiteral value: Double) { self = .real(value) }
    package init(stringLiteral value: String) { self = .text(value) }
    package init(nilLiteral: ()) { self = .null }
}
