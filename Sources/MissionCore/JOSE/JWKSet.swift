/// A JWK Set (RFC 7517 §5), as published at a `jwks_uri`.
///
/// ```swift
/// let set = try JWKSet(jsonData: body, options: .aauthConveyedKey)
/// guard let key = set.key(withID: header.keyID ?? "") else { /* unknown_key */ }
/// ```
public struct JWKSet: Sendable, Hashable {
    /// The usable keys, in document order.
    public let keys: [JWK]
    /// How many entries were skipped as unsupported or invalid (RFC 7517 §5: implementations
    /// SHOULD ignore JWKs with key types, members or values they do not understand).
    public let ignoredKeyCount: Int

    public init(keys: [JWK]) {
        self.keys = keys
        self.ignoredKeyCount = 0
    }

    /// Parses a JWK Set from JSON bytes (strict JSON).
    public init(jsonData: some Collection<UInt8>, options: JWK.ParsingOptions = .standard) throws(JOSEError) {
        try self.init(json: JSONValue.parse(jsonData), options: options)
    }

    /// Parses a JWK Set from a Foundation dictionary.
    public init(jsonObject: [String: Any], options: JWK.ParsingOptions = .standard) throws(JOSEError) {
        try self.init(json: JSONValue(any: jsonObject), options: options)
    }

    /// Parses a JWK Set. The document must be an object with a `keys` array of objects
    /// (otherwise `malformed`); individual keys that fail to parse are skipped and counted.
    public init(json: JSONValue, options: JWK.ParsingOptions = .standard) throws(JOSEError) {
        guard let entries = json["keys"]?.arrayValue else { throw .malformed("a JWK Set needs a keys array") }
        var keys = [JWK]()
        var ignored = 0
        for entry in entries {
            guard entry.objectValue != nil else { throw .malformed("a JWK Set entry is not an object") }
            if let key = try? JWK(json: entry, options: options) {
                keys.append(key)
            } else {
                ignored += 1
            }
        }
        self.keys = keys
        self.ignoredKeyCount = ignored
    }

    /// The single key whose `kid` is `keyID`; `nil` when none or several match, since an
    /// ambiguous `kid` must not pick a key by document order.
    public func key(withID keyID: String) -> JWK? {
        let matches = keys.filter { $0.keyID == keyID }
        return matches.count == 1 ? matches[0] : nil
    }

    /// The set as a JSON object.
    public var jsonValue: JSONValue { .object(["keys": .array(keys.map(\.jsonValue))]) }

    /// Canonical JSON bytes.
    public var jsonData: [UInt8] {
        // Only strings inside, so canonical encoding cannot fail.
        (try? CanonicalJSON.encode(jsonValue)) ?? []
    }
}
