/// Percent-decoding of URI components (RFC 3986 §2.1).
enum PercentDecoding {
    /// Whether every `%` in `bytes` starts a two-hex-digit escape.
    static func isValid<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var pending = 0
        for byte in bytes {
            if pending > 0 {
                guard hexValue(byte) != nil else { return false }
                pending -= 1
            } else if byte == UInt8(ascii: "%") {
                pending = 2
            }
        }
        return pending == 0
    }

    /// Decodes escapes; returns nil on an invalid escape. Decoded bytes are read as UTF-8.
    static func decode<C: Collection>(_ bytes: C, plusAsSpace: Bool = false) -> String?
    where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let h = iterator.next().flatMap(hexValue), let l = iterator.next().flatMap(hexValue)
                else { return nil }
                out.append(h << 4 | l)
            } else if plusAsSpace && byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes escapes, falling back to the raw text when an escape is invalid.
    static func decodeLenient<C: Collection>(_ bytes: C, plusAsSpace: Bool) -> String
    where C.Element == UInt8 {
        decode(bytes, plusAsSpace: plusAsSpace) ?? String(decoding: Array(bytes), as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
