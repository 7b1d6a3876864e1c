/// The claims of an auth token (`aa-auth+jwt`) the MA issues, written straight into their
/// canonical JSON bytes.
///
/// Every grant signs one of these, so the claim set is encoded member by member in canonical
/// order instead of building a `[String: JSONValue]` tree, sorting its names and walking it:
/// `encoded()` is byte for byte `CanonicalJSON.encode(.object(members))` (tests hold it to that
/// with hostile strings). Claims: `iss` and `ps` (the MA), `dwk` `aauth-person.json`, `aud` (the
/// resource), `sub` (the agent), `cnf.jwk` (the agent's key, RFC 7800 §3.2), `scope`
/// (space-separated, RFC 6749 §3.3), `jti`, `iat`, `exp`, `mission_s256` and `mission`
/// {`s256`, `auth`}.
struct AuthTokenClaims: Sendable {
    var issuer: String
    var audience: String
    var subject: String
    var confirmationKey: JWK
    var scope: String
    var jwtID: String
    var issuedAt: Int64
    var expiresAt: Int64
    var missionS256: String

    /// The `dwk` claim: where the person server's metadata lives.
    static let discoveryDocument = "aauth-person.json"

    /// The canonical JSON bytes of the claims (names in RFC 8785 §3.2.3 order).
    func encoded() -> [UInt8] {
        var object = CanonicalObjectWriter(capacity: 640)
        object.member("aud", string: audience)
        object.member("cnf") { confirmation in
            confirmation.member("jwk") { confirmationKey.writeMembers(to: &$0) }
        }
        object.member("dwk", string: Self.discoveryDocument)
        object.member("exp", integer: expiresAt)
        object.member("iat", integer: issuedAt)
        object.member("iss", string: issuer)
        object.member("jti", string: jwtID)
        object.member("mission") { mission in
            mission.member("auth", string: issuer)
            mission.member("s256", string: missionS256)
        }
        object.member("mission_s256", string: missionS256)
        object.member("ps", string: issuer)
        object.member("scope", string: scope)
        object.member("sub", string: subject)
        return object.finish()
    }

    /// The same claims as a JSON tree, for the generic encoder and for tests.
    var members: [String: JSONValue] {
        [
            "iss": .string(issuer),
            "ps": .string(issuer),
            "dwk": .string(Self.discoveryDocument),
            "aud": .string(audience),
            "sub": .string(subject),
            "cnf": .object(["jwk": confirmationKey.jsonValue]),
            "scope": .string(scope),
            "jti": .string(jwtID),
            "iat": .integer(issuedAt),
            "exp": .integer(expiresAt),
            "mission_s256": .string(missionS256),
            "mission": .object(["s256": .string(missionS256), "auth": .string(issuer)]),
        ]
    }
}
