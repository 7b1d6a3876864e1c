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

    private static let invalid: UInt8 = 0xFF
    private static let standardFlag: UInt8 = 0x40
    private static let urlFlag: UInt8 = 0x80

    /// Per byte: its sextet, with `standardFlag` for `+` `/` and `urlFlag` for `-` `_`; `invalid` for any other
    /// byte that is not a letter or digit. One lookup per character instead of a chain of range tests.
    private static let decodingTable: [UInt8] = {
        var table = [UInt8](repeating: invalid, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        table[Int(UInt8(ascii: "+"))] = 62 | standardFlag
        table[Int(UInt8(ascii: "/"))] = 63 | standardFlag
        table[Int(UInt8(ascii: "-"))] = 62 | urlFlag
        table[Int(UInt8(ascii: "_"))] = 63 | urlFlag
        return table
    }()

    /// Decodes base64 content. Padding is optional and non-zero pad bits are tolerated (RFC 8941 §4.2.7 says
    /// parsers SHOULD NOT fail on either). With `allowsURLAlphabet`, `-` and `_` stand for `+` and `/`, but one
    /// value may not mix both alphabets. `nil` on any other character, misplaced `=`, or an impossible length.
    static func decode(_ content: ArraySlice<UInt8>, allowsURLAlphabet: Bool) -> [UInt8]? {
        content.withUnsafeBufferPointer { decode($0, allowsURLAlphabet: allowsURLAlphabet) }
    }

    /// `decode(_:allowsURLAlphabet:)` on bytes in place (the structured field parser reads a borrowed buffer).
    static func decode(_ content: UnsafeBufferPointer<UInt8>, allowsURLAlphabet: Bool) -> [UInt8]? {
        // One pass, straight into the output (a signature is decoded for every signed request): every four
        // sextets give three bytes; the checks after the loop are those of RFC 4648 §4 and RFC 8941 §4.2.7.
        var isValid = true
        let output = [UInt8](unsafeUninitializedCapacity: content.count / 4 * 3 + 2) { buffer, written in
            isValid = decodingTable.withUnsafeBufferPointer { table in
                decode(content, table: table, allowsURLAlphabet: allowsURLAlphabet, into: buffer, written: &written)
            }
        }
        return isValid ? output : nil
    }

    /// The loop of `decode(_:allowsURLAlphabet:)`; false when the content is not base64. `output` holds at least
    /// three bytes per four characters plus two.
    private static func decode(
        _ content: UnsafeBufferPointer<UInt8>, table: UnsafeBufferPointer<UInt8>, allowsURLAlphabet: Bool,
        into output: UnsafeMutableBufferPointer<UInt8>, written: inout Int
    ) -> Bool {
        var accumulator: UInt32 = 0
        var sextets = 0
        var padding = 0
        var sawStandard = false
        var sawURL = false
        // Whole groups of four letters, digits, "+" or "/" (nearly all of a standard base64 value) at a time. The
        // first group holding anything else ("=", "-", "_", an invalid byte: entries with the high bit set) ends
        // this loop with no group half done, and the loop below goes on from there with the same state.
        var start = 0
        while start + 4 <= content.count {
            let e0 = table[Int(content[start])]
            let e1 = table[Int(content[start + 1])]
            let e2 = table[Int(content[start + 2])]
            let e3 = table[Int(content[start + 3])]
            let any = e0 | e1 | e2 | e3
            if any & urlFlag != 0 { break }
            if any & standardFlag != 0 { sawStandard = true }
            let group = UInt32(e0 & 0x3F) << 18 | UInt32(e1 & 0x3F) << 12 | UInt32(e2 & 0x3F) << 6 | UInt32(e3 & 0x3F)
            output[written] = UInt8(truncatingIfNeeded: group >> 16)
            output[written + 1] = UInt8(truncatingIfNeeded: group >> 8)
            output[written + 2] = UInt8(truncatingIfNeeded: group)
            written += 3
            sextets += 4
            start += 4
        }
        for byte in content[start...] {
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            // Padding may only end the value.
            if padding > 0 { return false }
            let entry = table[Int(byte)]
            if entry == invalid { return false }
            if entry & urlFlag != 0 {
                guard allowsURLAlphabet else { return false }
                sawURL = true
            } else if entry & standardFlag != 0 {
                sawStandard = true
            }
            accumulator = accumulator << 6 | UInt32(entry & 0x3F)
            sextets += 1
            if sextets & 3 == 0 {
                output[written] = UInt8(truncatingIfNeeded: accumulator >> 16)
                output[written + 1] = UInt8(truncatingIfNeeded: accumulator >> 8)
                output[written + 2] = UInt8(truncatingIfNeeded: accumulator)
                written += 3
                accumulator = 0
            }
        }
        if sawStandard && sawURL { return false }
        let tail = sextets % 4
        if tail == 1 { return false }
        if padding > 0 && (padding > 2 || (sextets + padding) % 4 != 0) { return false }
        // The last group's low bits beyond whole bytes are pad bits, ignored (RFC 8941 §4.2.7).
        if tail == 2 {
            output[written] = UInt8(truncatingIfNeeded: accumulator >> 4)
            written += 1
        } else if tail == 3 {
            output[written] = UInt8(truncatingIfNeeded: accumulator >> 10)
            output[written + 1] = UInt8(truncatingIfNeeded: accumulator >> 2)
            written += 2
        }
        return true
    }
}
