/// A canonical JSON writer in the spirit of RFC 8785 (JCS): object members sorted by their names'
/// UTF-16 code units (RFC 8785 §3.2.3), no whitespace, minimal string escaping (§3.2.2.2: only
/// `"`, `\`, and control characters; `/` and non-ASCII are written as they are).
///
/// Numbers: integers are written exactly; a `Double` must be integral and within ±2^53 (JCS would
/// need the ECMAScript number formatting otherwise, which we do not implement), else it throws.
/// Used for JWT claims, RFC 7638 thumbprints and the audit chain's hashed event bytes.
///
/// ```swift
/// CanonicalJSON.string(["b": 1, "a": [true, nil]])   // {"a":[true,null],"b":1}
/// ```
public enum CanonicalJSON {
    /// The canonical UTF-8 bytes of `value`.
    public static func encode(_ value: JSONValue) throws(JOSEError) -> [UInt8] {
        var output = [UInt8]()
        try write(value, to: &output)
        return output
    }

    /// The canonical text of `value`.
    public static func string(_ value: JSONValue) throws(JOSEError) -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    /// The canonical bytes of a Foundation value such as `[String: Any]` (see `JSONValue(any:)`).
    public static func encode(any value: Any) throws(JOSEError) -> [UInt8] {
        try encode(JSONValue(any: value))
    }

    /// An object with its members in exactly the given order (values canonical), for JOSE headers
    /// whose member order is fixed by convention, such as `{"alg","typ","kid"}`.
    public static func encodeObject(orderedMembers: [(String, JSONValue)]) throws(JOSEError) -> [UInt8] {
        var output: [UInt8] = [UInt8(ascii: "{")]
        var seen = Set<String>()
        for (position, (name, value)) in orderedMembers.enumerated() {
            precondition(seen.insert(name).inserted, "duplicate member \(name)")
            if position > 0 { output.append(UInt8(ascii: ",")) }
            writeString(name, to: &output)
            output.append(UInt8(ascii: ":"))
            try write(value, to: &output)
        }
        output.append(UInt8(ascii: "}"))
        return output
    }

    /// The largest integer every JSON implementation reads exactly (RFC 7493 §2.2).
    static let maxExactDouble: Double = 9_007_199_254_740_992

    static func write(_ value: JSONValue, to output: inout [UInt8]) throws(JOSEError) {
        switch value {
        case .null: output.append(contentsOf: Array("null".utf8))
        case .bool(let flag): output.append(contentsOf: Array((flag ? "true" : "false").utf8))
        case .integer(let integer): writeInteger(integer, to: &output)
        case .number(let double):
            guard double.isFinite, double.rounded() == double, abs(double) <= maxExactDouble,
                let integer = Int64(exactly: double)
            else { throw .malformed("non-integral or out-of-range number has no canonical form here") }
            // -0.0 is written as 0, as RFC 8785 §3.2.2.3 requires.
            writeInteger(integer, to: &output)
        case .string(let text): writeString(text, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                try write(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            let names = members.keys.sorted(by: precedes)
            for (position, name) in names.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                writeString(name, to: &output)
                output.append(UInt8(ascii: ":"))
                // The name came from `members.keys`, so the lookup cannot miss.
                try write(members[name] ?? .null, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `value` in decimal (RFC 8259 §6: an optional minus, no leading zeros), as
    /// `String(value)` would spell it, without building the string.
    static func writeInteger(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        // `magnitude` is a UInt64, so Int64.min needs no special case.
        var remaining = value.magnitude
        // 20 digits hold UInt64.max.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            } while remaining > 0
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// RFC 8785 §3.2.3: member names are ordered by their UTF-16 code units. UTF-8 bytes order strings by code
    /// point, which agrees with UTF-16 unless a supplementary character (lead byte F0–F4) meets one in
    /// U+E000…U+FFFF (lead EE or EF); so when neither name has a byte ≥ 0xEE the bytes decide, read straight
    /// from the native string instead of transcoding both to UTF-16 on every comparison.
    static func precedes(_ a: String, _ b: String) -> Bool {
        let byBytes = a.utf8.withContiguousStorageIfAvailable { first in
            b.utf8.withContiguousStorageIfAvailable { second -> Bool? in
                guard !first.contains(where: { $0 >= 0xEE }), !second.contains(where: { $0 >= 0xEE }) else { return nil }
                return first.lexicographicallyPrecedes(second)
            }
        }
        if let byBytes, let byBytes, let byBytes { return byBytes }
        return a.utf16.lexicographicallyPrecedes(b.utf16)
    }

    /// Built once: this runs for every string of every audit event hashed or verified.
    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Most strings need no escape at all: copy them in one go (the audit chain writes
        // and verifies a dozen strings per event).
        let utf8 = text.utf8
        let copied = utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                return false
            }
            output.append(contentsOf: bytes)
            return true
        }
        if copied == true {
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x00..<0x20:
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Canonical bytes of an object whose values are all strings; cannot fail.
    static func encodeStrings(_ members: [String: String]) -> [UInt8] {
        var output: [UInt8] = [UInt8(ascii: "{")]
        let names = members.keys.sorted(by: precedes)
        for (position, name) in names.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            writeString(name, to: &output)
            output.append(UInt8(ascii: ":"))
            writeString(members[name] ?? "", to: &output)
        }
        output.append(UInt8(ascii: "}"))
        return output
    }
}
