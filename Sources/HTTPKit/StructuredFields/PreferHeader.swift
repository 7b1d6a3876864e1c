/// RFC 7240 `Prefer`: only `wait` is interpreted; other preferences are ignored.
public struct PreferHeader: Equatable, Sendable {
    /// The `wait` preference in seconds (RFC 7240 §4.3), capped at `maxWait`; `nil` when absent or malformed.
    public let wait: Int?

    /// The largest `wait` reported; longer values are clamped rather than refused.
    public static let maxWait = 86_400

    /// Parses the field value (all lines joined with ", "). Names compare case-insensitively and only the first
    /// `wait` counts (RFC 7240 §2). A malformed `wait` is ignored, as an unknown preference would be.
    public init(parsing fieldValue: String) {
        var wait: Int?
        var sawWait = false
        for preference in Self.splitOutsideQuotes(fieldValue, separator: ",") {
            // preference = token [ BWS "=" BWS word ] *( OWS ";" [ OWS parameter ] )
            guard let head = Self.splitOutsideQuotes(preference, separator: ";").first else { continue }
            let parts = head.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.trimmed(parts[0]).lowercased()
            guard name == "wait", !sawWait else { continue }
            sawWait = true
            guard parts.count == 2 else { continue }
            var value = Self.trimmed(parts[1])
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            // delta-seconds = 1*DIGIT (RFC 9111 §1.2.2); overlong values clamp.
            guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { continue }
            wait = value.count > 6 ? Self.maxWait : min(Int(value) ?? Self.maxWait, Self.maxWait)
        }
        self.wait = wait
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    private static func splitOutsideQuotes(_ text: some StringProtocol, separator: Character) -> [Substring] {
        let text = Substring(text)
        var parts: [Substring] = []
        var start = text.startIndex
        var inQuotes = false
        var escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" && inQuotes {
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
            } else if character == separator && !inQuotes {
                parts.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        parts.append(text[start...])
        return parts
    }
}
