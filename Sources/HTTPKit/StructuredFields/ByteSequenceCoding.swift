/// Base64 for Byte Sequences (RFC 8941 §3.3.5, RFC 4648 §4), kept inside HTTPKit so it needs no other module.
enum ByteSequenceCoding {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Padded standard base64, as RFC 8941 §4.1.8 requires on output.
    static func encode(_ bytes: [UInt8]) -> String {
        var output = [UInt8]()
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let b0 = UInt32(bytes[index])
            let b1 = remaining > 1 ? UInt32(bytes[index + 1]) : 0
            let b2 = remaining > 2 ? UInt32(bytes[index + 2]) : 0
            let n = b0 << 16 | b1 << 8 | b2
            output.append(alphabet[Int(n >> 18 & 63)])
            output.append(alphabet[Int(n >> 12 & 63)])
            output.append(remaining > 1 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            output.append(remaining > 2 ? alphabet[Int(n & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes base64 content. Padding is optional and non-zero pad bits are tolerated (RFC 8941 §4.2.7 says
    /// parsers SHOULD NOT fail on either). With `allowsURLAlphabet`, `-` and `_` stand for `+` and `/`, but one
    /// value may not mix both alphabets. `nil` on any other character, misplaced `=`, or an impossible length.
    static func decode(_ content: ArraySlice<UInt8>, allowsURLAlphabet: Bool) -> [UInt8]? {
        var sextets = [UInt8]()
        sextets.reserveCapacity(content.count)
        var padding = 0
        var sawStandard = false
        var sawURL = false
        for byte in content {
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            // Padding may only end the value.
            if padding > 0 { return nil }
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): sextets.append(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): sextets.append(byte - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sextets.append(byte - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "+"): sextets.append(62); sawStandard = true
            case UInt8(ascii: "/"): sextets.append(63); sawStandard = true
            case UInt8(ascii: "-") where allowsURLAlphabet: sextets.append(62); sawURL = true
            case UInt8(ascii: "_") where allowsURLAlphabet: sextets.append(63); sawURL = true
            default: return nil
            }
        }
        if sawStandard && sawURL { return nil }
        let tail = sextets.count % 4
        if tail == 1 { return nil }
        if padding > 0 && (padding > 2 || (sextets.count + padding) % 4 != 0) { return nil }
        var output = [UInt8]()
        output.reserveCapacity(sextets.count * 3 / 4)
        var index = 0
        while index + 4 <= sextets.count {
            let n =
                UInt32(sextets[index]) << 18 | UInt32(sextets[index + 1]) << 12
                | UInt32(sextets[index + 2]) << 6 | UInt32(sextets[index + 3])
            output.append(UInt8(n >> 16 & 0xFF))
            output.append(UInt8(n >> 8 & 0xFF))
            output.append(UInt8(n & 0xFF))
            index += 4
        }
        if tail >= 2 {
            let n =
                UInt32(sextets[index]) << 18 | UInt32(sextets[index + 1]) << 12
                | (tail == 3 ? UInt32(sextets[index + 2]) << 6 : 0)
            output.append(UInt8(n >> 16 & 0xFF))
            if tail == 3 { output.append(UInt8(n >> 8 & 0xFF)) }
        }
        return output
    }
}
