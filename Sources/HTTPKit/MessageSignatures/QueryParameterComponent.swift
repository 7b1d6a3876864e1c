/// `@query-param;name="…"` (RFC 9421 §2.2.8): the value of one query parameter, decoded as
/// application/x-www-form-urlencoded and re-encoded with the same percent-encode set (space as %20).
enum QueryParameterComponent {
    static func value(for component: ComponentIdentifier, query: String?) throws(SignatureError) -> String {
        guard case .string(let encodedName) = component.parameters["name"] else {
            throw .invalidComponentIdentifier(component.description)
        }
        // The identifier carries the name in encoded form; compare decoded names.
        let wanted = decode(encodedName)
        var matches: [[UInt8]] = []
        for pair in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            if name == wanted { matches.append(parts.count > 1 ? decode(parts[1]) : []) }
        }
        guard !matches.isEmpty else { throw .missingComponentValue(component.description) }
        // §2.2.8: a parameter that occurs more than once cannot be covered unambiguously.
        guard matches.count == 1 else { throw .invalidComponentValue(component.description) }
        return encode(matches[0])
    }

    static func decode(_ text: some StringProtocol) -> [UInt8] {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                output.append(0x20)
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                output.append(high << 4 | low)
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }

    static func encode(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        for byte in bytes {
            if StructuredFieldGrammar.isAlpha(byte) || StructuredFieldGrammar.isDigit(byte)
                || "*-._".utf8.contains(byte)
            {
                output.append(byte)
            } else {
                output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
