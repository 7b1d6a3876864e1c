/// The parameters of one signature (RFC 9421 §2.3), in received order, with typed access to the known ones.
public struct SignatureParameters: Hashable, Sendable {
    /// All parameters in order, including ones this type does not interpret (they are kept for the base).
    public let parameters: StructuredField.Parameters

    /// Creates parameters for signing; `alg` is deliberately absent because AAuth forbids sending it.
    public init(created: Int64?, expires: Int64? = nil, keyID: String? = nil, nonce: String? = nil, tag: String? = nil)
    {
        var parameters = StructuredField.Parameters()
        if let created { parameters["created"] = .integer(created) }
        if let expires { parameters["expires"] = .integer(expires) }
        if let keyID { parameters["keyid"] = .string(keyID) }
        if let nonce { parameters["nonce"] = .string(nonce) }
        if let tag { parameters["tag"] = .string(tag) }
        self.parameters = parameters
    }

    /// Validates received parameters: `created`/`expires` must be Integers, `keyid`/`alg`/`nonce`/`tag` Strings.
    public init(validating parameters: StructuredField.Parameters) throws(SignatureError) {
        for (key, value) in parameters.entries {
            switch key {
            case "created", "expires":
                guard case .integer = value else { throw .invalidSignatureParameter(key) }
            case "keyid", "alg", "nonce", "tag":
                guard case .string = value else { throw .invalidSignatureParameter(key) }
            default:
                continue
            }
        }
        self.parameters = parameters
    }

    /// `created`: Unix seconds when the signature was made.
    public var created: Int64? { parameters["created"]?.integerValue }
    /// `expires`: Unix seconds after which the signature is void.
    public var expires: Int64? { parameters["expires"]?.integerValue }
    /// `keyid`, if sent (AAuth: SHOULD NOT).
    public var keyID: String? { parameters["keyid"]?.stringValue }
    /// `alg`, if sent; AAuth verifiers must ignore it (wire notes §1.1).
    public var algorithm: String? { parameters["alg"]?.stringValue }
    /// `nonce`, if sent; AAuth defines no use for it.
    public var nonce: String? { parameters["nonce"]?.stringValue }
    /// `tag`, if sent; AAuth defines no use for it.
    public var tag: String? { parameters["tag"]?.stringValue }
}
