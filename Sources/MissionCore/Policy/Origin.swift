/// A web origin (RFC 6454 §4) in canonical form: lowercase scheme and host, the scheme's default
/// port dropped. The only form in which resources are compared.
///
/// Parsing is strict on purpose: an authorization decision must not depend on how a URL parser
/// happens to resolve an odd spelling. Accepted: `https://host[:port]` or `http://…`, optionally
/// with a single trailing `/`. Refused: userinfo, any other path, query, fragment, percent-encoding,
/// non-ASCII hosts (give IDNs as A-labels, `xn--…`), IP literals in brackets, empty labels,
/// ports with leading zeros or outside 1…65535.
public struct Origin: Hashable, Codable, Sendable, CustomStringConvertible {
    /// `https` or `http`.
    public let scheme: String
    /// Lowercase DNS name or dotted IPv4 address.
    public let host: String
    /// The port, `nil` when it is the scheme's default.
    public let port: Int?

    /// Parses and canonicalises `text`.
    public init(_ text: String) throws(MissionError) {
        let (scheme, authority) = try Origin.split(text)
        let (host, port) = try Origin.parseAuthority(authority, scheme: scheme, original: text)
        try Origin.validateHost(host, original: text)
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// The RFC 6454 §6.2 ASCII serialization: `scheme://host[:port]`.
    public var description: String {
        if let port { return "\(scheme)://\(host):\(port)" }
        return "\(scheme)://\(host)"
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid origin"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func defaultPort(of scheme: String) -> Int { scheme == "https" ? 443 : 80 }

    /// Splits `scheme://authority[/]`, lowercasing the scheme.
    static func split(_ text: String) throws(MissionError) -> (String, Substring) {
        guard text.utf8.count <= 300 else { throw .invalidOrigin("origin too long") }
        guard let range = text.range(of: "://") else { throw .invalidOrigin("\(text): missing scheme") }
        let scheme = text[..<range.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else {
            throw .invalidOrigin("\(text): scheme must be https or http")
        }
        var authority = text[range.upperBound...]
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        for forbidden: Character in ["/", "?", "#", "@", "%", "\\", "[", "]"] where authority.contains(forbidden) {
            throw .invalidOrigin("\(text): only scheme, host and port are allowed (found \"\(forbidden)\")")
        }
        return (scheme, authority)
    }

    static func parseAuthority(_ authority: Substring, scheme: String, original: String) throws(MissionError) -> (
        String, Int?
    ) {
        var hostPart = authority
        var port: Int?
        if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            let digits = authority[authority.index(after: colon)...]
            guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                digits.first != "0", let value = Int(digits), (1...65_535).contains(value)
            else { throw .invalidOrigin("\(original): invalid port") }
            port = value == defaultPort(of: scheme) ? nil : value
        }
        // Unicode hosts are refused, not folded: IDNs must arrive as A-labels (RFC 5890 §2.3.2.1).
        guard hostPart.utf8.allSatisfy({ $0 < 0x80 }) else {
            throw .invalidOrigin("\(original): non-ASCII host; use the xn-- form")
        }
        let host = hostPart.lowercased()
        return (host, port)
    }

    /// RFC 1123 §2.1 host names: labels of 1–63 letters, digits and hyphens, not starting or
    /// ending with a hyphen, 253 characters at most, no trailing dot.
    static func validateHost(_ host: String, original: String) throws(MissionError) {
        guard !host.isEmpty, host.utf8.count <= 253 else { throw .invalidOrigin("\(original): invalid host") }
        for label in host.split(separator: ".", omittingEmptySubsequences: false) {
            guard (1...63).contains(label.utf8.count),
                label.utf8.allSatisfy({ isHostByte($0) }),
                label.utf8.first != UInt8(ascii: "-"), label.utf8.last != UInt8(ascii: "-")
            else { throw .invalidOrigin("\(original): invalid host label \"\(label)\"") }
        }
    }

    static func isHostByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): true
        default: false
        }
    }
}
