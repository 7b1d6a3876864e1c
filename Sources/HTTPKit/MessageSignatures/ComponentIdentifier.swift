/// A covered component (RFC 9421 §2): a lowercase field name or derived-component name, with its parameters.
public struct ComponentIdentifier: Hashable, Sendable, CustomStringConvertible {
    /// The lowercase name, e.g. `@method` or `content-digest`.
    public let name: String
    /// Parameters such as `sf`, `key="…"`, `bs` or `name="…"`, in order.
    public let parameters: StructuredField.Parameters

    /// Derived components this request-side implementation computes (RFC 9421 §2.2).
    public static let derivedNames: Set<String> = [
        "@method", "@authority", "@path", "@query", "@target-uri", "@scheme", "@request-target", "@query-param",
    ]

    /// `"@method"`.
    public static let method = ComponentIdentifier(uncheckedName: "@method")
    /// `"@authority"`.
    public static let authority = ComponentIdentifier(uncheckedName: "@authority")
    /// `"@path"`.
    public static let path = ComponentIdentifier(uncheckedName: "@path")
    /// `"@query"`.
    public static let query = ComponentIdentifier(uncheckedName: "@query")
    /// `"signature-key"`.
    public static let signatureKey = ComponentIdentifier(uncheckedName: "signature-key")
    /// `"content-type"`.
    public static let contentType = ComponentIdentifier(uncheckedName: "content-type")
    /// `"content-digest"`.
    public static let contentDigest = ComponentIdentifier(uncheckedName: "content-digest")
    /// `"authorization"`.
    public static let authorization = ComponentIdentifier(uncheckedName: "authorization")

    private init(uncheckedName: String) {
        name = uncheckedName
        parameters = StructuredField.Parameters()
    }

    /// Creates and validates an identifier; uppercase names, unknown derived components and unknown or
    /// mistyped parameters are errors (RFC 9421 §2.1, §2.2, §2.5 step 2.3).
    public init(_ name: String, parameters: StructuredField.Parameters = .init()) throws(SignatureError) {
        self.name = name
        self.parameters = parameters
        try validate()
    }

    /// Reads an identifier from an Inner List item of `Signature-Input`.
    init(item: StructuredField.Item) throws(SignatureError) {
        guard case .string(let name) = item.bareItem else {
            throw .invalidComponentIdentifier((try? StructuredField.serialize(item)) ?? "")
        }
        try self.init(name, parameters: item.parameters)
    }

    /// Same name and parameters. Every name is ASCII (validated, or one of the constants above), so names of
    /// different byte lengths differ; that test first keeps the usual unequal pair off the string comparison.
    public static func == (lhs: ComponentIdentifier, rhs: ComponentIdentifier) -> Bool {
        lhs.name.utf8.count == rhs.name.utf8.count && lhs.name == rhs.name && lhs.parameters == rhs.parameters
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(parameters)
    }

    /// Whether this names a derived component (starts with "@").
    public var isDerived: Bool { name.hasPrefix("@") }

    /// The identifier as a structured-field item.
    public var item: StructuredField.Item {
        StructuredField.Item(.string(name), parameters: parameters)
    }

    /// The serialized identifier as it starts a signature-base line, e.g. `"content-digest"` or `"x";key="a"`.
    public var description: String {
        // A validated name is printable ASCII without `"` or `\\`, so without parameters it needs no escaping;
        // this is the usual case and it is built for every signed request.
        if parameters.isEmpty { return "\"" + name + "\"" }
        // Validated names are printable ASCII and keys valid, so serialization cannot fail.
        return (try? StructuredField.serialize(item)) ?? "\"\(name)\""
    }

    /// `derivedNames.contains(name)` by comparison instead of hashing (checked for every covered component).
    private static func isDerivedName(_ name: String) -> Bool {
        switch name {
        case "@method", "@authority", "@path", "@query", "@target-uri", "@scheme", "@request-target", "@query-param":
            return true
        default: return false
        }
    }

    private func validate() throws(SignatureError) {
        let bytes = name.utf8
        guard !bytes.isEmpty else { throw .invalidComponentIdentifier(name) }
        if isDerived {
            // @signature-params never covers itself; @status and req are response-only (RFC 9421 §2.2.9, §2.4).
            guard Self.isDerivedName(name) else { throw .invalidComponentIdentifier(name) }
            for (key, value) in parameters.entries {
                switch (key, value) {
                case ("name", .string) where name == "@query-param": continue
                default: throw .invalidComponentIdentifier(description)
                }
            }
            if name == "@query-param", parameters["name"] == nil { throw .invalidComponentIdentifier(description) }
        } else {
            // Field names are lowercased tokens (RFC 9421 §2.1); an uppercase name is an error, not folded.
            let isNameByte: (UInt8) -> Bool = { StructuredFieldGrammar.isTChar($0) && !($0 >= 65 && $0 <= 90) }
            // Scanned in place when the String is contiguous (always, for a parsed name).
            let valid =
                bytes.withContiguousStorageIfAvailable { $0.allSatisfy(isNameByte) } ?? bytes.allSatisfy(isNameByte)
            guard valid else {
                throw .invalidComponentIdentifier(name)
            }
            for (key, value) in parameters.entries {
                switch (key, value) {
                case ("sf", .boolean(true)), ("bs", .boolean(true)), ("key", .string): continue
                default: throw .invalidComponentIdentifier(description)
                }
            }
            // RFC 9421 §2.1.3: bs cannot be combined with sf or key.
            if parameters["bs"] != nil, parameters["sf"] != nil || parameters["key"] != nil {
                throw .invalidComponentIdentifier(description)
            }
        }
    }
}
