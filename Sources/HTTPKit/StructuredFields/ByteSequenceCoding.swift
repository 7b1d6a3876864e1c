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
        // One pass, straight into the output (a signature is decoded for every signed request): every four
        // sextets give three bytes; the checks after the loop are those of RFC 4648 §4 and RFC 8941 §4.2.7.
        var output = [UInt8]()
        output.reserveCapacity(content.count / 4 * 3 + 2)
        var accumulator: UInt32 = 0
        var sextets = 0
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
            let sextet: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): sextet = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): sextet = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sextet = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): sextet = 62; sawStandard = true
            case UInt8(ascii: "/"): sextet = 63; sawStandard = true
            case UInt8(ascii: "-") where allowsURLAlphabet: sextet = 62; sawURL = true
            case UInt8(ascii: "_") where allowsURLAlphabet: sextet = 63; sawURL = true
            default: return nil
            }
            accumulator = accumulator << 6 | UInt32(sextet)
            sextets += 1
            if sextets & 3 == 0 {
                output.append(UInt8(truncatingIfNeeded: accumulator >> 16))
                output.append(UInt8(truncatingIfNeeded: accumulator >> 8))
                output.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator = 0
            }
        }
        if sawStandard && sawURL { return nil }
        let tail = sextets % 4
        if tail == 1 { return nil }
        if padding > 0 && (padding > 2 || (sextets + padding) % 4 != 0) { return nil }
        // The last group's low bits beyond whole bytes are pad bits, ignored (RFC 8941 §4.2.7).
        if tail == 2 {
            output.append(UInt8(truncatingIfNeeded: accumulator >> 4))
        } else if tail == 3 {
            output.append(UInt8(truncatingIfNeeded: accumulator >> 10))
            output.append(UInt8(truncatingIfNeeded: accumulator >> 2))
        }
        return output
    }
}
