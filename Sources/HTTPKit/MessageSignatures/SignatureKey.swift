/// One `Signature-Key` member, typed by scheme ([SK] §Signature-Key; wire notes §1.4).
public struct SignatureKey: Hashable, Sendable {
    /// The scheme and what it carries.
    public enum Scheme: Hashable, Sendable {
        /// `jwt`: a JWT whose `cnf.jwk` is the signing key.
        case jwt(token: String)
        /// `hwk`: the public key inline.
        case hwk(InlinePublicKey)
        /// `jwks_uri`: the signer's id, its well-known document name and the key id.
        case jwksURI(id: String, dwk: String, kid: String)
        /// `jkt-jwt`: an enclave-key JWT (agent provider key refresh).
        case jktJWT(token: String)
        /// Any other scheme: the caller answers `unsupported_scheme`.
        case other(String)
    }

    /// The signature label this member belongs to.
    public let label: String
    /// The scheme name as sent (a Token).
    public let schemeName: String
    /// The typed scheme.
    public let scheme: Scheme
    /// All parameters as sent, including `cache` and unknown ones.
    public let parameters: StructuredField.Parameters

    /// Reads one member; only the members of implemented schemes are checked for their parameters.
    init(member: borrowing StructuredField.Dictionary.Member) throws(SignatureError) {
        guard case .item(let item) = member.value, case .token(let name) = item.bareItem else {
            throw .invalidMember(field: "signature-key", key: member.key)
        }
        label = member.key
        schemeName = name
        parameters = item.parameters
        switch name {
        case "jwt": scheme = .jwt(token: try Self.string("jwt", in: item.parameters, scheme: name))
        case "jkt-jwt": scheme = .jktJWT(token: try Self.string("jwt", in: item.parameters, scheme: name))
        case "hwk": scheme = .hwk(try InlinePublicKey(parameters: item.parameters))
        case "jwks_uri":
            scheme = .jwksURI(
                id: try Self.string("id", in: item.parameters, scheme: name),
                dwk: try Self.string("dwk", in: item.parameters, scheme: name),
                kid: try Self.string("kid", in: item.parameters, scheme: name))
        default: scheme = .other(name)
        }
    }

    /// `cache` (a bare Boolean on `jwt`/`jkt-jwt`): the signer allows the verifier to cache the assertion.
    public var allowsCaching: Bool { parameters["cache"] == .boolean(true) }

    static func string(_ key: String, in parameters: StructuredField.Parameters, scheme: String)
        throws(SignatureError) -> String
    {
        guard case .string(let value) = parameters[key], !value.isEmpty else {
            throw .invalidKeyParameter(scheme: scheme, parameter: key)
        }
        return value
    }
}
