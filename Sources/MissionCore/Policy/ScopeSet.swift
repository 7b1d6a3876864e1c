/// The scopes a grant allows: any scope (`"*"`), or a fixed set of scope tokens.
public enum ScopeSet: Hashable, Codable, Sendable {
    case any
    /// Sorted, de-duplicated, never empty.
    case only([String])

    /// The most scope tokens in one list; a guard against unbounded input, not a protocol rule.
    public static let maximumCount = 100

    /// A set of the given tokens (validated, sorted, de-duplicated). `["*"]` means `.any`.
    public init(_ scopes: [String]) throws(MissionError) {
        if scopes == ["*"] {
            self = .any
            return
        }
        self = .only(try ScopeSet.validatedTokens(scopes))
    }

    /// Whether `scope` is allowed.
    public func contains(_ scope: String) -> Bool {
        switch self {
        case .any: true
        case .only(let scopes): scopes.contains(scope)
        }
    }

    /// Whether every scope of `other` is allowed by `self`.
    public func covers(_ other: ScopeSet) -> Bool {
        switch (self, other) {
        case (.any, _): true
        case (.only, .any): false
        case (.only, .only(let scopes)): scopes.allSatisfy(contains)
        }
    }

    /// The union of two sets.
    public func union(_ other: ScopeSet) -> ScopeSet {
        switch (self, other) {
        case (.any, _), (_, .any): .any
        case (.only(let a), .only(let b)): .only(Array(Set(a).union(b)).sorted())
        }
    }

    /// `"*"` or the list, as written in envelopes and approved texts.
    public var displayText: String {
        switch self {
        case .any: "any scope"
        case .only(let scopes): scopes.joined(separator: ", ")
        }
    }

    /// Validates scope tokens: RFC 6749 §3.3 `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`,
    /// at most 128 bytes each; `*` is reserved for "any" and not a token of its own.
    public static func validatedTokens(_ scopes: [String]) throws(MissionError) -> [String] {
        guard !scopes.isEmpty else { throw .invalidScope("empty scope list") }
        guard scopes.count <= maximumCount else { throw .invalidScope("more than \(maximumCount) scopes") }
        for scope in scopes { try validate(scope) }
        return Array(Set(scopes)).sorted()
    }

    /// Checks one scope token.
    public static func validate(_ scope: String) throws(MissionError) {
        guard !scope.isEmpty, scope.utf8.count <= 128 else { throw .invalidScope("scope length must be 1–128 bytes") }
        guard scope != "*" else { throw .invalidScope("\"*\" cannot be combined with other scopes") }
        for byte in scope.utf8 {
            let allowed = byte == 0x21 || (0x23...0x5B).contains(byte) || (0x5D...0x7E).contains(byte)
            guard allowed else { throw .invalidScope("\(scope): not an RFC 6749 scope token") }
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let star = try? container.decode(String.self), star == "*" {
            self = .any
            return
        }
        let list = try container.decode([String].self)
        do { self = try ScopeSet(list) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid scopes"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .any: try container.encode("*")
        case .only(let scopes): try container.encode(scopes)
        }
    }

    var canonicalValue: CanonicalValue {
        switch self {
        case .any: .string("*")
        case .only(let scopes): .strings(scopes)
        }
    }
}
