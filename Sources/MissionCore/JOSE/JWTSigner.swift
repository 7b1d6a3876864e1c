/// Produces compact JWTs with deterministic bytes: header `{"alg","typ","kid"}` in that order,
/// claims as canonical JSON (sorted members, no whitespace).
///
/// ```swift
/// let signer = JWTSigner(key: .ed25519(maKey), keyID: "ma-key-1")
/// let token = try signer.sign(claims: ["iss": "https://ma.example", "exp": 1730220600], type: "aa-auth+jwt")
/// ```
public struct JWTSigner: Sendable {
    public let key: JOSEPrivateKey
    public let keyID: String?

    public init(key: JOSEPrivateKey, keyID: String?) {
        self.key = key
        self.keyID = keyID
    }

    /// A signed compact JWT. Throws `malformed` for claims without a canonical form
    /// (non-integral numbers) and `crypto` if OpenSSL fails.
    public func sign(claims: [String: JSONValue], type: String) throws(JOSEError) -> String {
        try JWS.sign(payload: CanonicalJSON.encode(.object(claims)), key: key, type: type, keyID: keyID)
    }

    /// Signs claims already encoded as a JSON object (a fixed claim set written by a
    /// `CanonicalObjectWriter`), skipping the generic encoder.
    func sign(encodedClaims: [UInt8], type: String) throws(JOSEError) -> String {
        try JWS.sign(payload: encodedClaims, key: key, type: type, keyID: keyID)
    }

    /// Signs claims given as a `JWTClaims` value.
    public func sign(claims: JWTClaims, type: String) throws(JOSEError) -> String {
        try sign(claims: claims.members, type: type)
    }
}
