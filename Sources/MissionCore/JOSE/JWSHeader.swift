/// A decoded JWS Protected Header (RFC 7515 §4). Only `alg`, `typ`, `kid` and `cty` are
/// interpreted; `jwk`, `jku`, `x5u`, `x5c` are kept in `members` but never used to find a key
/// (RFC 7515 §10.3 concerns: the caller always supplies the key).
public struct JWSHeader: Sendable, Hashable {
    /// Every header member as parsed.
    public let members: [String: JSONValue]
    /// The algorithm (`EdDSA` reads as `.ed25519` when allowed).
    public let algorithm: JWSAlgorithm
    /// `alg` exactly as written.
    public let algorithmName: String
    /// `typ` (RFC 7515 §4.1.9).
    public let type: String?
    /// `kid` (RFC 7515 §4.1.4).
    public let keyID: String?
    /// `cty` (RFC 7515 §4.1.10).
    public let contentType: String?

    /// Reads a header object. `alg` is required (RFC 7515 §4.1.1); any `crit` is refused because
    /// we implement no extension (§4.1.11: a recipient MUST reject unknown critical extensions).
    init(json: JSONValue, acceptsLegacyEdDSA: Bool) throws(JOSEError) {
        guard let members = json.objectValue else { throw .malformed("JWS header is not a JSON object") }
        guard let algValue = members["alg"] else { throw .malformed("JWS header has no alg") }
        guard let algName = algValue.stringValue else { throw .malformed("JWS header alg is not a string") }
        if members["crit"] != nil { throw .unsupportedCriticalHeader }
        self.algorithm = try JWSAlgorithm(parsing: algName, acceptsLegacyEdDSA: acceptsLegacyEdDSA)
        self.algorithmName = algName
        self.members = members
        self.type = try Self.optionalString("typ", in: members)
        self.keyID = try Self.optionalString("kid", in: members)
        self.contentType = try Self.optionalString("cty", in: members)
    }

    private static func optionalString(_ name: String, in members: [String: JSONValue]) throws(JOSEError) -> String? {
        guard let value = members[name] else { return nil }
        guard let string = value.stringValue else { throw .malformed("JWS header \(name) is not a string") }
        return string
    }
}
