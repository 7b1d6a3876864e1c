/// Replaces credential-shaped words in audit text, a guard behind the rule that callers never
/// pass raw tokens or secrets. Shapes: a compact JWS/JWT (`eyJ…` with two dots, RFC 7515 §7.1:
/// every JOSE header starts with `{"`, which base64url-encodes to `eyJ`) and an admin-key secret
/// (`AdminKey.secretPrefix`).
enum CredentialRedaction {
    static let placeholder = "[redacted]"

    static func redact(_ text: String) -> String {
        guard mayHoldCredential(text) else { return text }
        var output = ""
        var word = ""
        func flush() {
            output += looksLikeCredential(word) ? placeholder : word
            word = ""
        }
        for character in text {
            if character.isWhitespace || character == "\"" || character == "," || character == "=" {
                flush()
                output.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return output
    }

    /// Whether `text` contains `eyJ` or `ma_` anywhere: a byte scan, because this runs for
    /// every text member of every audit event and Foundation's `contains` was the costliest
    /// step of an append.
    static func mayHoldCredential(_ text: String) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            switch (previous.0, previous.1, byte) {
            case (UInt8(ascii: "e"), UInt8(ascii: "y"), UInt8(ascii: "J")),
                (UInt8(ascii: "m"), UInt8(ascii: "a"), UInt8(ascii: "_")):
                return true
            default: previous = (previous.1, byte)
            }
        }
        return false
    }

    static func looksLikeCredential(_ word: String) -> Bool {
        if word.hasPrefix(AdminKey.secretPrefix), word.utf8.count >= 20 { return true }
        if let start = word.range(of: "eyJ") {
            return word[start.lowerBound...].filter { $0 == "." }.count >= 2
        }
        return false
    }
}
