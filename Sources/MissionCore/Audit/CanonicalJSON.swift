/// A JSON value with one byte serialization, used for every byte sequence this domain hashes
/// (mission blobs, amendments, audit events).
///
/// The form: object members sorted by the UTF-8 bytes of their names (for the ASCII names used
/// here this is the RFC 8785 order), no insignificant whitespace, strings with only the escapes
/// JSON requires (`"`, `\`, and control characters; `\b \f \n \r \t` short forms, the rest as
/// `\u00xx` lowercase), non-ASCII written as raw UTF-8, integers only (no floats, so no number
/// formatting ambiguity). Internal on purpose: JOSE has its own encoder; the two can be unified
/// once both exist, and the test vectors pin the bytes either way.
enum CanonicalJSON: Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case array([CanonicalJSON])
    case object([String: CanonicalJSON])
    case null

    /// The canonical bytes of this value.
    var bytes: [UInt8] {
        var output: [UInt8] = []
        write(into: &output)
        return output
    }

    private func write(into output: inout [UInt8]) {
        switch self {
        case .string(let text):
            Self.writeString(text, into: &output)
        case .integer(let value):
            output.append(contentsOf: Array(String(value).utf8))
        case .bool(let value):
            output.append(contentsOf: Array((value ? "true" : "false").utf8))
        case .null:
            output.append(contentsOf: Array("null".utf8))
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                item.write(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            let names = members.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (index, name) in names.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(name, into: &output)
                output.append(UInt8(ascii: ":"))
                members[name]?.write(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20:
                // RFC 8259 §7: the remaining control characters must be escaped.
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

extension CanonicalJSON {
    /// An object built from optional members: `nil` values are left out (absent, not `null`).
    static func members(_ pairs: [(String, CanonicalJSON?)]) -> CanonicalJSON {
        var object: [String: CanonicalJSON] = [:]
        for (name, value) in pairs {
            if let value { object[name] = value }
        }
        return .object(object)
    }

    static func strings(_ values: [String]) -> CanonicalJSON {
        .array(values.map { .string($0) })
    }
}
