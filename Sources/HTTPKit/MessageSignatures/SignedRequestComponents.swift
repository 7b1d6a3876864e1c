/// The parts of a request that a signature can cover, as plain values so any server or client can supply them.
///
/// ```swift
/// let request = SignedRequestComponents(
///     method: "POST", scheme: "https", authority: "ma.example", path: "/mission", query: nil,
///     fields: [("content-type", "application/json")])
/// ```
public struct SignedRequestComponents: Sendable {
    /// The method as received (case-sensitive).
    public var method: String
    /// The target URI scheme (`http` or `https`), as the client saw it.
    public var scheme: String
    /// Host and optional port as the client addressed them (`Host`); normalized by `normalizedAuthority`.
    public var authority: String
    /// The absolute path as sent, still percent-encoded; empty means `/`.
    public var path: String
    /// The raw query without `?`, or `nil` when the target had none.
    public var query: String?
    /// All field lines for a lowercase field name, in received order (empty when absent).
    ///
    /// Setting it replaces the header list given to `init(method:scheme:authority:path:query:headers:)`.
    public var fieldValues: @Sendable (String) -> [String] {
        didSet { headers = nil }
    }
    /// The request's header list when the components were made from one: read in place by `fieldLines`, which
    /// then needs no array for a field sent once.
    private var headers: HTTPHeaders?

    /// Creates components with a field lookup closure.
    public init(
        method: String, scheme: String, authority: String, path: String, query: String?,
        fieldValues: @escaping @Sendable (String) -> [String]
    ) {
        self.method = method
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.query = query
        self.fieldValues = fieldValues
    }

    /// Creates components whose fields are looked up in `headers` (names case-insensitively). Equivalent to
    /// `fieldValues: { headers.values(for: $0) }`, but a verifier reading a field sent once builds no array.
    public init(
        method: String, scheme: String, authority: String, path: String, query: String?, headers: HTTPHeaders
    ) {
        self.init(method: method, scheme: scheme, authority: authority, path: path, query: query) { name in
            headers.values(for: name)
        }
        self.headers = headers
    }

    /// The lines of one field, with the single line of the usual case kept apart from an array.
    enum FieldLines {
        case none
        case one(String)
        case several([String])

        /// The lines in order.
        var all: [String] {
            switch self {
            case .none: []
            case .one(let line): [line]
            case .several(let lines): lines
            }
        }
    }

    /// The lines of field `name` (lowercase), as `fieldValues(name)` gives them.
    func fieldLines(_ name: String) -> FieldLines {
        if let headers {
            let (first, count) = headers.firstValueAndCount(for: name)
            guard let first else { return .none }
            return count == 1 ? .one(first) : .several(headers.values(for: name))
        }
        let lines = fieldValues(name)
        switch lines.count {
        case 0: return .none
        case 1: return .one(lines[0])
        default: return .several(lines)
        }
    }

    /// Creates components from an origin-form request target (`/path?query`), split at the first `?`
    /// (RFC 9112 §3.2.1); the query stays raw.
    public init(
        method: String, scheme: String, authority: String, requestTarget: String,
        fieldValues: @escaping @Sendable (String) -> [String]
    ) {
        let path: Substring
        let query: Substring?
        if let mark = requestTarget.firstIndex(of: "?") {
            path = requestTarget[..<mark]
            query = requestTarget[requestTarget.index(after: mark)...]
        } else {
            path = Substring(requestTarget)
            query = nil
        }
        self.init(
            method: method, scheme: scheme, authority: authority, path: String(path), query: query.map(String.init),
            fieldValues: fieldValues)
    }

    /// Creates components from field lines given as (name, value) pairs; names match case-insensitively.
    public init(
        method: String, scheme: String, authority: String, path: String, query: String?,
        fields: [(name: String, value: String)]
    ) {
        let lines = fields.map { (name: $0.name.lowercased(), value: $0.value) }
        self.init(method: method, scheme: scheme, authority: authority, path: path, query: query) { name in
            lines.filter { $0.name == name }.map(\.value)
        }
    }

    /// `@authority` (RFC 9421 §2.2.3): the host lowercased and the scheme's default port removed.
    public var normalizedAuthority: String {
        if let ascii = Self.asciiNormalizedAuthority(authority, scheme: scheme) { return ascii }
        let lowered = authority.lowercased()
        let defaultPort: String
        switch scheme.lowercased() {
        case "https": defaultPort = ":443"
        case "http": defaultPort = ":80"
        default: return lowered
        }
        // The port follows the last ":" after any IPv6 literal's "]".
        let hostEnd = lowered.lastIndex(of: "]") ?? lowered.startIndex
        if lowered[hostEnd...].hasSuffix(defaultPort) { return String(lowered.dropLast(defaultPort.count)) }
        return lowered
    }

    /// `normalizedAuthority` on bytes when `authority` and `scheme` are ASCII (always so for a valid Host), else
    /// `nil`. For ASCII, `lowercased()` maps only A–Z and each byte is one Character, so byte and Character
    /// operations agree; the usual lowercase authority is returned as it is, without a copy.
    private static func asciiNormalizedAuthority(_ authority: String, scheme: String) -> String? {
        var scheme = scheme
        // The default port of an ASCII scheme ("" for other schemes), or nil for a non-ASCII one.
        let defaultPort: StaticString? = scheme.withUTF8 { bytes in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            // Every byte of "https" is a letter, and only that letter in either case gives it with 0x20 set.
            if matches(bytes, "https", foldingCase: true) { return ":443" }
            if matches(bytes, "http", foldingCase: true) { return ":80" }
            return ""
        }
        guard let defaultPort else { return nil }
        var authority = authority
        // nil: not ASCII; otherwise whether a copy is needed, and how many bytes to keep.
        let plan: (lowercase: Bool, keep: Int)? = authority.withUTF8 { bytes in
            var hasUppercase = false
            var hostEnd = 0
            for (offset, byte) in bytes.enumerated() {
                guard byte < 0x80 else { return nil }
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { hasUppercase = true }
                if byte == UInt8(ascii: "]") { hostEnd = offset }
            }
            // The port follows the last ":" after any IPv6 literal's "]".
            let portLength = defaultPort.utf8CodeUnitCount
            if portLength > 0, bytes.count - hostEnd >= portLength,
                matches(
                    UnsafeBufferPointer(rebasing: bytes[(bytes.count - portLength)...]), defaultPort, foldingCase: false
                )
            {
                return (hasUppercase, bytes.count - portLength)
            }
            return (hasUppercase, bytes.count)
        }
        guard let plan else { return nil }
        if !plan.lowercase && plan.keep == authority.utf8.count { return authority }
        return authority.withUTF8 { bytes in
            String(
                decoding: bytes[..<plan.keep].lazy.map {
                    $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0
                }, as: UTF8.self)
        }
    }

    /// Whether `bytes` spell `name`, optionally with ASCII letters in any case (`name` is lowercase).
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ name: StaticString, foldingCase: Bool) -> Bool {
        guard bytes.count == name.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        for offset in 0..<bytes.count where (foldingCase ? bytes[offset] | 0x20 : bytes[offset]) != expected[offset] {
            return false
        }
        return true
    }

    /// `@path` (RFC 9421 §2.2.6): the path as sent, `/` when empty.
    public var normalizedPath: String { path.isEmpty ? "/" : path }

    /// `@query` (RFC 9421 §2.2.7): `?` plus the raw query; exactly `?` without one.
    public var normalizedQuery: String { "?" + (query ?? "") }

    /// `@request-target` (RFC 9421 §2.2.5): origin form, path plus `?query` when present.
    public var requestTarget: String { normalizedPath + (query.map { "?" + $0 } ?? "") }

    /// `@target-uri` (RFC 9421 §2.2.2): the absolute target URI.
    public var targetURI: String { scheme.lowercased() + "://" + normalizedAuthority + requestTarget }
}
