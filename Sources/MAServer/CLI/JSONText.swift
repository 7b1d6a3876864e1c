import Foundation
import MissionCore

/// JSON text for the CLI's own output and request bodies: keys sorted, `/` left unescaped.
enum JSONText {
    /// One line of JSON for `object` (a `JSONSerialization`-compatible value).
    static func compact(_ object: Any) -> String {
        String(decoding: data(object, pretty: false), as: UTF8.self)
    }

    /// `object` as compact JSON bytes, for a request body.
    static func bytes(_ object: Any) -> [UInt8] { Array(data(object, pretty: false)) }

    /// The bytes of `object` as compact JSON.
    static func data(_ object: Any, pretty: Bool) -> Data {
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { options.insert(.prettyPrinted) }
        // Only called with values built from strings, numbers, booleans, arrays and dictionaries.
        return (try? JSONSerialization.data(withJSONObject: object, options: options)) ?? Data("null".utf8)
    }

    /// `bytes` re-indented for reading (two spaces, members sorted), or `nil` when they are not a JSON object or
    /// array.
    static func pretty(_ bytes: [UInt8]) -> String? {
        guard let value = try? MissionCore.JSONValue.parse(bytes) else { return nil }
        switch value {
        case .object, .array:
            var out = ""
            write(value, indent: "", into: &out)
            return out
        default:
            return nil
        }
    }

    private static func write(_ value: MissionCore.JSONValue, indent: String, into out: inout String) {
        let inner = indent + "  "
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .integer(let number): out += String(number)
        case .number(let number): out += String(number)
        case .string(let text): out += quoted(text)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += inner
                write(item, indent: inner, into: &out)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{\n"
            let keys = members.keys.sorted()
            for (index, key) in keys.enumerated() {
                out += inner + quoted(key) + ": "
                write(members[key] ?? .null, indent: inner, into: &out)
                out += index == keys.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        }
    }

    /// A JSON string literal (RFC 8259 §7): quote, backslash and control characters escaped, the rest as is.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
