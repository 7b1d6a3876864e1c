/// Character classes of RFC 8941 §3 (keys, tokens) and RFC 9110 §5.6.2 (tchar).
enum StructuredFieldGrammar {
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func isAlpha(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    static func isLowercaseAlpha(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }

    /// key = ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" )
    static func isKeyStart(_ byte: UInt8) -> Bool {
        isLowercaseAlpha(byte) || byte == UInt8(ascii: "*")
    }

    static func isKeyCharacter(_ byte: UInt8) -> Bool {
        // A switch over literals, not `"_-.*".utf8.contains`: this runs for every byte of every key parsed.
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "*"):
            return true
        default: return false
        }
    }

    /// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    static func isTChar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"),
            UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
            UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default: return false
        }
    }

    /// sf-token = ( ALPHA / "*" ) *( tchar / ":" / "/" )
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        isTChar(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "/")
    }

    static func isValidKey(_ key: String) -> Bool {
        // Walks the UTF-8 view in place; a label is checked for every signed request.
        let bytes = key.utf8
        guard let first = bytes.first, isKeyStart(first) else { return false }
        return bytes.dropFirst().allSatisfy(isKeyCharacter)
    }

    static func isValidToken(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        guard let first = bytes.first, isAlpha(first) || first == UInt8(ascii: "*") else { return false }
        return bytes.dropFirst().allSatisfy(isTokenCharacter)
    }

    /// The offset of the first byte outside SP, visible ASCII and HTAB (a control character, DEL or non-ASCII),
    /// or `nil`. RFC 8941 §4.2 and RFC 9421 §2.5 refuse those bytes in a field value and in a base line.
    static func firstNonVisibleOffset(_ buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = buffer.baseAddress else { return nil }
        let highBits: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        // Eight bytes at a time while a word certainly holds only 0x20–0x7E; the exact scan below starts at the
        // first word that might not (one with HTAB, which is allowed, included). With no high bit set, adding 0x01
        // or 0x60 to every byte cannot carry between bytes: the sum's high bit marks 0x7F, its absence below 0x20.
        while index + 8 <= buffer.count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if word & highBits != 0 || (word &+ 0x0101_0101_0101_0101) & highBits != 0
                || ~(word &+ 0x6060_6060_6060_6060) & highBits != 0
            {
                break
            }
            index += 8
        }
        while index < buffer.count {
            let byte = buffer[index]
            if byte > 0x7E || (byte < 0x20 && byte != 0x09) { return index }
            index += 1
        }
        return nil
    }

    static func lowercaseHexValue(_ byte: UInt8) -> UInt8? {
        if isDigit(byte) { return byte - UInt8(ascii: "0") }
        if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f") { return byte - UInt8(ascii: "a") + 10 }
        return nil
    }
}
