/// A strict RFC 8259 parser into `JSONValue`.
///
/// Stricter than `JSONSerialization` where it matters for signed data: a duplicate member name is
/// an error (RFC 7515 §5.2 and RFC 7519 §4 let a JWS/JWT parser reject duplicates, and Foundation
/// silently keeps the last one, so two parsers could read different claims); invalid UTF-8
/// (RFC 8259 §8.1), lone surrogate escapes, a byte order mark, trailing bytes and excessive nesting
/// are errors too.
///
/// It runs on every token request body and every JWT, so it avoids needless work: the whole input
/// is checked as UTF-8 once (all-ASCII input without building a `String`), a string without escapes
/// becomes a `String` straight from its slice of the input, an integer of up to 18 digits is read
/// without making a `String`. Every input is accepted or refused exactly as before, with the same
/// error (`JSONParserEquivalenceTests` holds it to the parser it replaced).
struct JSONParser {
    private let bytes: [UInt8]
    private let maxDepth: Int
    private var index = 0
    private var depth = 0

    /// Room reserved in the outermost object's dictionary when it is not empty: a token request body
    /// has four members, and growing from one slot (1 → 3 → 6) cost two extra allocations and
    /// rehashes. Only the outermost: reserved in every object, a body made of many one-member
    /// objects would hold room for six in each.
    private static let objectCapacity = 6

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JOSEError) -> JSONValue {
        guard Self.isValidUTF8(bytes) else { throw .malformed("JSON is not valid UTF-8") }
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw .malformed("trailing bytes after JSON value") }
        return value
    }

    /// Whether `bytes` is well-formed UTF-8. ASCII is, and needs no `String`; from the first
    /// non-ASCII byte on (a multi-byte sequence can only start there), the standard library decides.
    private static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        // Eight bytes at a time while they are all ASCII; the loads stay inside the buffer
        // (`offset + 8 <= count`), unaligned loads are what `loadUnaligned` is for.
        var offset = 0
        let count = bytes.count
        bytes.withUnsafeBytes { raw in
            while offset + 8 <= count, raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) & highBits == 0 {
                offset += 8
            }
        }
        while offset < count, bytes[offset] < 0x80 { offset += 1 }
        guard offset < count else { return true }
        return String(validating: bytes[offset...], as: UTF8.self) != nil
    }

    /// The top bit of each byte of a word.
    private static let highBits: UInt64 = 0x8080_8080_8080_8080
    /// Each byte of a word set to 0x01.
    private static let lowBits: UInt64 = 0x0101_0101_0101_0101

    /// Whether any of the eight bytes of `word` is a quote, a backslash or below 0x20. Exact as a
    /// yes/no (the classic "has a zero byte" test: `(x - 0x01…) & ~x & 0x80…` is non-zero exactly when
    /// some byte of x is zero; "below n" is the same with n in place of 1, for n ≤ 0x80).
    private static func hasStringSpecialByte(_ word: UInt64) -> Bool {
        let quote = word ^ (lowBits &* UInt64(UInt8(ascii: "\"")))
        let backslash = word ^ (lowBits &* UInt64(UInt8(ascii: "\\")))
        let zeroQuote = (quote &- lowBits) & ~quote
        let zeroBackslash = (backslash &- lowBits) & ~backslash
        let control = (word &- lowBits &* 0x20) & ~word
        return (zeroQuote | zeroBackslash | control) & highBits != 0
    }

    private mutating func skipWhitespace() {
        // RFC 8259 §2: ws = space, horizontal tab, line feed, carriage return.
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func expect(_ literal: StaticString, _ value: JSONValue) throws(JOSEError) -> JSONValue {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw .malformed("invalid JSON literal") }
        let start = index
        let matches = literal.withUTF8Buffer { expected in
            for offset in 0..<count where bytes[start + offset] != expected[offset] { return false }
            return true
        }
        guard matches else { throw .malformed("invalid JSON literal") }
        index += count
        return value
    }

    private mutating func parseValue() throws(JOSEError) -> JSONValue {
        guard let byte = peek() else { throw .malformed("unexpected end of JSON") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw .malformed("unexpected byte in JSON")
        }
    }

    private mutating func enter() throws(JOSEError) {
        depth += 1
        guard depth <= maxDepth else { throw .malformed("JSON nested deeper than \(maxDepth)") }
    }

    private mutating func parseObject() throws(JOSEError) -> JSONValue {
        try enter()
        index += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object([:])
        }
        var members = depth == 1 ? [String: JSONValue](minimumCapacity: Self.objectCapacity) : [:]
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw .malformed("expected a member name") }
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw .malformed("expected ':'") }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            // Keys compare as Swift strings (canonical equivalence), as they always have.
            guard members.updateValue(value, forKey: key) == nil else {
                throw .malformed("duplicate member name \"\(key)\"")
            }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(members)
            default: throw .malformed("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray() throws(JOSEError) -> JSONValue {
        try enter()
        index += 1
        var elements = [JSONValue]()
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(elements)
            default: throw .malformed("expected ',' or ']'")
            }
        }
    }

    private mutating func parseHexQuad() throws(JOSEError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw .malformed("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .malformed("bad hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Moves `index` past bytes that stand for themselves in a string: up to a quote, a
    /// backslash, a control character (RFC 8259 §7) or the end of the input.
    private mutating func skipPlainStringBytes() {
        var cursor = index
        let count = bytes.count
        // Eight bytes at a time until a word holds a byte that ends the run; the loads stay inside
        // the buffer (`cursor + 8 <= count`). That word is then looked at byte by byte.
        bytes.withUnsafeBytes { raw in
            while cursor + 8 <= count,
                !Self.hasStringSpecialByte(raw.loadUnaligned(fromByteOffset: cursor, as: UInt64.self))
            {
                cursor += 8
            }
        }
        while cursor < count {
            let byte = bytes[cursor]
            guard byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 else { break }
            cursor += 1
        }
        index = cursor
    }

    private mutating func parseString() throws(JOSEError) -> String {
        index += 1  // opening quote
        let start = index
        skipPlainStringBytes()
        // The input is valid UTF-8 as a whole and quotes are ASCII, so the slice is whole characters.
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return String(decoding: bytes[start..<index - 1], as: UTF8.self)
        }
        var output = [UInt8]()
        output.reserveCapacity(index - start + 16)
        output.append(contentsOf: bytes[start..<index])
        while true {
            guard let byte = peek() else { throw .malformed("unterminated string") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: output, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escape = peek() else { throw .malformed("unterminated escape") }
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
                case UInt8(ascii: "b"): output.append(0x08)
                case UInt8(ascii: "f"): output.append(0x0C)
                case UInt8(ascii: "n"): output.append(0x0A)
                case UInt8(ascii: "r"): output.append(0x0D)
                case UInt8(ascii: "t"): output.append(0x09)
                case UInt8(ascii: "u"):
                    var scalarValue = try parseHexQuad()
                    if (0xD800...0xDBFF).contains(scalarValue) {
                        // RFC 8259 §7: a character outside the BMP is a surrogate pair.
                        guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u")
                        else { throw .malformed("lone high surrogate") }
                        index += 2
                        let low = try parseHexQuad()
                        guard (0xDC00...0xDFFF).contains(low) else { throw .malformed("lone high surrogate") }
                        scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(scalarValue) else { throw .malformed("lone low surrogate") }
                    output.append(contentsOf: scalar.utf8)
                default: throw .malformed("invalid escape")
                }
            case 0x00..<0x20:
                throw .malformed("unescaped control character in string")
            default:
                // A run of plain bytes goes in at once.
                let run = index - 1
                skipPlainStringBytes()
                output.append(contentsOf: bytes[run..<index])
            }
        }
    }

    private mutating func parseNumber() throws(JOSEError) -> JSONValue {
        // RFC 8259 §6: number = [ minus ] int [ frac ] [ exp ]; int = zero / ( digit1-9 *DIGIT ).
        let start = index
        var isInteger = true
        let isNegative = peek() == UInt8(ascii: "-")
        if isNegative { index += 1 }
        guard let first = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw .malformed("invalid number")
        }
        let digitsStart = index
        if first == UInt8(ascii: "0") {
            index += 1
        } else {
            skipDigits()
        }
        let digitCount = index - digitsStart
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard skipDigits() > 0 else { throw .malformed("invalid number") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { throw .malformed("invalid number") }
        }
        // Up to 18 decimal digits always fit in an Int64: read them without making a String.
        if isInteger, digitCount <= 18 {
            var magnitude: Int64 = 0
            for digit in bytes[digitsStart..<index] { magnitude = magnitude * 10 + Int64(digit - UInt8(ascii: "0")) }
            return .integer(isNegative ? -magnitude : magnitude)
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let double = Double(text), double.isFinite else { throw .malformed("number out of range") }
        return .number(double)
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = index
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        return index - start
    }
}
