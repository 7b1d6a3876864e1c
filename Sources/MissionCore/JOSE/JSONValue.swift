import Foundation

/// A JSON value (RFC 8259) as a `Sendable` tree. Integers without fraction or exponent are kept
/// exactly as `Int64`; every other number is a `Double`.
///
/// ```swift
/// let value = try JSONValue.parse(Array(#"{"a":[1,true,null]}"#.utf8))
/// value["a"]?.arrayValue?.count   // 3
/// ```
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The string, or `nil` for any other kind.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer; an integral `Double` in Int64 range counts too.
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): return value
        case .number(let value):
            guard value.rounded() == value, let exact = Int64(exactly: value) else { return nil }
            return exact
        default: return nil
        }
    }

    /// Any number as a `Double`.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    /// The boolean, or `nil` for any other kind.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements, or `nil` for any other kind.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members, or `nil` for any other kind.
    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// `true` for `null`.
    public var isNull: Bool { self == .null }

    /// The member named `key` of an object; `nil` for a missing member or a non-object.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// Parses one JSON text strictly (see `JSONParser`): duplicate member names, trailing bytes,
    /// invalid UTF-8, lone surrogates and nesting deeper than `maxDepth` are errors.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = 32) throws(JOSEError) -> JSONValue {
        var parser = JSONParser(bytes: Array(bytes), maxDepth: maxDepth)
        return try parser.parseDocument()
    }

    /// Converts Foundation values (`JSONSerialization` output or `[String: Any]` literals): String,
    /// Bool, integer types, Double, NSNumber, NSNull, arrays and string-keyed dictionaries.
    public init(any value: Any) throws(JOSEError) {
        // Decide by the dynamic type first: on Linux, a boxed NSNumber 1 also casts to `Bool`,
        // and a Swift `Int` also casts to `NSNumber`, so plain `as?` casts would confuse them.
        let dynamicType = type(of: value)
        if dynamicType == Bool.self, let flag = value as? Bool {
            self = .bool(flag)
            return
        }
        if dynamicType == Int.self, let integer = value as? Int {
            self = .integer(Int64(integer))
            return
        }
        if dynamicType == Int64.self, let integer = value as? Int64 {
            self = .integer(integer)
            return
        }
        if dynamicType == Int32.self, let integer = value as? Int32 {
            self = .integer(Int64(integer))
            return
        }
        if dynamicType == Double.self, let double = value as? Double {
            self = .number(double)
            return
        }
        switch value {
        case let value as JSONValue: self = value
        case is NSNull: self = .null
        case let value as String: self = .string(value)
        case let value as NSNumber:
            // Foundation boxes JSON booleans as NSNumber with the `char` type code.
            switch String(cString: value.objCType) {
            case "c", "B": self = .bool(value.boolValue)
            case "f", "d": self = .number(value.doubleValue)
            case "Q", "L", "I", "S", "C":
                guard value.uint64Value <= UInt64(Int64.max) else {
                    throw .malformed("integer out of range")
                }
                self = .integer(value.int64Value)
            default: self = .integer(value.int64Value)
            }
        case let value as [Any]:
            var elements = [JSONValue]()
            elements.reserveCapacity(value.count)
            for element in value { elements.append(try JSONValue(any: element)) }
            self = .array(elements)
        case let value as [String: Any]:
            var members = [String: JSONValue]()
            members.reserveCapacity(value.count)
            for (key, member) in value { members[key] = try JSONValue(any: member) }
            self = .object(members)
        default:
            throw .malformed("not a JSON value: \(type(of: value))")
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var members = [String: JSONValue]()
        for (key, value) in elements {
            precondition(members[key] == nil, "duplicate key \(key) in a JSONValue literal")
            members[key] = value
        }
        self = .object(members)
    }
}
