/// A public JSON Web Key (RFC 7517) for the key types AAuth signs with: OKP/Ed25519 (RFC 8037 §2)
/// and EC/P-256 (RFC 7518 §6.2). Parsing is strict and builds the OpenSSL key at once, so a JWK
/// value always holds a usable key (a P-256 point is checked to be on the curve).
///
/// ```swift
/// let jwk = try JWK(jsonData: data, options: .aauthConveyedKey)
/// jwk.thumbprint()            // RFC 7638, base64url SHA-256
/// jwk.publicKey               // JOSEPublicKey for JWS.verify
/// ```
public struct JWK: Sendable, Hashable {
    /// The supported `kty` values.
    public enum KeyType: String, Sendable, Hashable {
        case okp = "OKP"
        case ec = "EC"
    }

    /// The supported `crv` values.
    public enum Curve: String, Sendable, Hashable {
        case ed25519 = "Ed25519"
        case p256 = "P-256"
    }

    /// What a parser accepts beyond the strict core.
    public struct ParsingOptions: Sendable, Hashable {
        /// Refuse a key without `alg` (`missingAlgorithm`).
        public var requiresAlgorithm: Bool
        /// Read `alg: EdDSA` as Ed25519 (RFC 8037 keys). AAuth forbids the polymorphic name on
        /// conveyed keys (wire notes §1.1).
        public var acceptsLegacyEdDSA: Bool

        public init(requiresAlgorithm: Bool = false, acceptsLegacyEdDSA: Bool = true) {
            self.requiresAlgorithm = requiresAlgorithm
            self.acceptsLegacyEdDSA = acceptsLegacyEdDSA
        }

        /// Lenient on `alg`: optional, and `EdDSA` accepted.
        public static let standard = ParsingOptions()
        /// For keys conveyed in AAuth (`cnf.jwk`, `hwk`, published JWKS): `alg` required and fully
        /// specified, so `EdDSA` is refused (wire notes §1.1).
        public static let aauthConveyedKey = ParsingOptions(requiresAlgorithm: true, acceptsLegacyEdDSA: false)
    }

    /// The key itself, ready for verification.
    public let publicKey: JOSEPublicKey
    /// `alg` (RFC 7517 §4.4), `nil` when absent. A legacy `EdDSA` reads as `.ed25519`.
    public let algorithm: JWSAlgorithm?
    /// `kid` (RFC 7517 §4.5).
    public let keyID: String?
    /// `use` (RFC 7517 §4.2); only `sig` is accepted.
    public let use: String?

    /// A JWK for an Ed25519 key, `alg: Ed25519`.
    public init(publicKey: Ed25519.PublicKey, keyID: String? = nil, use: String? = "sig") {
        self.publicKey = .ed25519(publicKey)
        self.algorithm = .ed25519
        self.keyID = keyID
        self.use = use
    }

    /// A JWK for a P-256 key, `alg: ES256`.
    public init(publicKey: P256.Signing.PublicKey, keyID: String? = nil, use: String? = "sig") {
        self.publicKey = .p256(publicKey)
        self.algorithm = .es256
        self.keyID = keyID
        self.use = use
    }

    /// `kty`.
    public var keyType: KeyType { publicKey.algorithm.keyType }
    /// `crv`.
    public var curve: Curve { publicKey.algorithm.curve }

    /// `x`: the Ed25519 public key or the P-256 x coordinate.
    public var x: [UInt8] {
        switch publicKey {
        case .ed25519(let key): return key.rawRepresentation
        case .p256(let key): return key.x
        }
    }

    /// `y` for EC keys, `nil` for OKP.
    public var y: [UInt8]? {
        if case .p256(let key) = publicKey { return key.y }
        return nil
    }

    public static func == (lhs: JWK, rhs: JWK) -> Bool {
        lhs.publicKey == rhs.publicKey && lhs.algorithm == rhs.algorithm && lhs.keyID == rhs.keyID
            && lhs.use == rhs.use
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(x)
        hasher.combine(y)
        hasher.combine(algorithm)
        hasher.combine(keyID)
        hasher.combine(use)
    }
}

// MARK: - Parsing

extension JWK {
    /// Parses a JWK from JSON bytes (strict JSON: duplicate members are refused).
    public init(jsonData: some Collection<UInt8>, options: ParsingOptions = .standard) throws(JOSEError) {
        try self.init(json: JSONValue.parse(jsonData), options: options)
    }

    /// Parses a JWK from a Foundation dictionary (for example `JSONSerialization` output).
    public init(jsonObject: [String: Any], options: ParsingOptions = .standard) throws(JOSEError) {
        try self.init(json: JSONValue(any: jsonObject), options: options)
    }

    /// Parses a JWK. Checks, in order: the member types; `alg` is supported (else
    /// `unsupportedAlgorithm`); `kty`/`crv` agree with `alg` (else `invalidKey`, wire notes §1.1);
    /// `kty`/`crv` are supported (else `unsupportedKeyType`); `alg` present if required; no
    /// private `d`; `x`/`y` canonical base64url of the right length; the point is valid.
    /// Unknown members are ignored (RFC 7517 §4).
    public init(json: JSONValue, options: ParsingOptions = .standard) throws(JOSEError) {
        guard let members = json.objectValue else { throw .malformed("a JWK must be a JSON object") }
        let kty = try Self.requiredString("kty", in: members)
        let crv = try Self.optionalString("crv", in: members)
        let algName = try Self.optionalString("alg", in: members)
        let keyID = try Self.optionalString("kid", in: members)
        let use = try Self.optionalString("use", in: members)

        var algorithm: JWSAlgorithm?
        if let algName {
            let parsed = try JWSAlgorithm(parsing: algName, acceptsLegacyEdDSA: options.acceptsLegacyEdDSA)
            // RFC 7518 §3.4 / RFC 8037 §3.1: the algorithm fixes the key type and curve.
            guard kty == parsed.keyType.rawValue, crv == parsed.curve.rawValue else {
                throw .invalidKey(
                    "alg \(algName) requires kty \(parsed.keyType.rawValue) with crv \(parsed.curve.rawValue)")
            }
            algorithm = parsed
        }
        guard let keyType = KeyType(rawValue: kty) else { throw .unsupportedKeyType(kty) }
        guard let crv else { throw .malformed("JWK member crv is missing") }
        guard let curve = Curve(rawValue: crv),
            (keyType == .okp && curve == .ed25519) || (keyType == .ec && curve == .p256)
        else { throw .unsupportedKeyType("\(kty) \(crv)") }
        if algorithm == nil && options.requiresAlgorithm { throw .missingAlgorithm }
        // RFC 8037 §2 and RFC 7518 §6.2.2.1: `d` is the private key; it never belongs in a
        // public JWK, and accepting one would mean someone leaked a private key.
        guard members["d"] == nil else { throw .invalidKey("private member d in a public JWK") }
        if let use, use != "sig" { throw .invalidKey("use \(use) is not sig") }

        let x = try Self.coordinate("x", in: members)
        let publicKey: JOSEPublicKey
        do {
            switch keyType {
            case .okp:
                guard members["y"] == nil else { throw JOSEError.invalidKey("OKP key with a y member") }
                publicKey = .ed25519(try Ed25519.PublicKey(rawRepresentation: x))
            case .ec:
                let y = try Self.coordinate("y", in: members)
                publicKey = .p256(try P256.Signing.PublicKey(x: x, y: y))
            }
        } catch let error as JOSEError {
            throw error
        } catch {
            throw .invalidKey("\(error)")
        }
        self.publicKey = publicKey
        self.algorithm = algorithm
        self.keyID = keyID
        self.use = use
    }

    private static func requiredString(_ name: String, in members: [String: JSONValue]) throws(JOSEError) -> String {
        guard let value = try optionalString(name, in: members) else {
            throw .malformed("JWK member \(name) is missing")
        }
        return value
    }

    private static func optionalString(_ name: String, in members: [String: JSONValue]) throws(JOSEError) -> String? {
        guard let value = members[name] else { return nil }
        guard let string = value.stringValue else { throw .malformed("JWK member \(name) is not a string") }
        return string
    }

    /// A 32-byte base64url member (RFC 8037 §2, RFC 7518 §6.2.1.2: full-length, no padding).
    private static func coordinate(_ name: String, in members: [String: JSONValue]) throws(JOSEError) -> [UInt8] {
        let text = try requiredString(name, in: members)
        guard let bytes = Base64URL.decodeUnpadded(text) else {
            throw .malformed("JWK member \(name) is not base64url")
        }
        guard bytes.count == 32 else { throw .invalidKey("JWK member \(name) has \(bytes.count) bytes, expected 32") }
        return bytes
    }
}

// MARK: - Serialization and thumbprints

extension JWK {
    /// The members as strings (kty, crv, x, y, alg, kid, use as present).
    private var stringMembers: [String: String] {
        var members = ["kty": keyType.rawValue, "crv": curve.rawValue, "x": Base64URL.encode(x)]
        if let y { members["y"] = Base64URL.encode(y) }
        if let algorithm { members["alg"] = algorithm.rawValue }
        if let keyID { members["kid"] = keyID }
        if let use { members["use"] = use }
        return members
    }

    /// The JWK as a JSON object.
    public var jsonValue: JSONValue { .object(stringMembers.mapValues { .string($0) }) }

    /// Canonical JSON bytes (sorted members, no whitespace).
    public var jsonData: [UInt8] {
        var object = CanonicalObjectWriter(capacity: 160)
        writeMembers(to: &object)
        return object.finish()
    }

    /// Writes the members of `jsonValue` in canonical order (`alg`, `crv`, `kid`, `kty`, `use`,
    /// `x`, `y`), without the dictionary and sort `jsonValue` needs: every auth token carries
    /// the agent's JWK in `cnf`.
    func writeMembers(to object: inout CanonicalObjectWriter) {
        if let algorithm { object.member("alg", string: algorithm.rawValue) }
        object.member("crv", string: curve.rawValue)
        if let keyID { object.member("kid", string: keyID) }
        object.member("kty", string: keyType.rawValue)
        if let use { object.member("use", string: use) }
        object.member("x", base64URL: x)
        if let y { object.member("y", base64URL: y) }
    }

    /// Canonical JSON text.
    public var jsonString: String { String(decoding: jsonData, as: UTF8.self) }

    /// The RFC 7638 §3 thumbprint input: only the required members (§3.2: OKP `crv`,`kty`,`x`
    /// per RFC 8037 §2; EC `crv`,`kty`,`x`,`y`), sorted, no whitespace.
    public var thumbprintInput: [UInt8] {
        var members = ["kty": keyType.rawValue, "crv": curve.rawValue, "x": Base64URL.encode(x)]
        if let y { members["y"] = Base64URL.encode(y) }
        return CanonicalJSON.encodeStrings(members)
    }

    /// The RFC 7638 SHA-256 thumbprint, base64url.
    public func thumbprint() -> String {
        Base64URL.encode(SHA256.hash(thumbprintInput))
    }

    /// `urn:jkt:sha-256:<thumbprint>`, AAuth's key identity for `hwk` and `jkt-jwt`.
    public func thumbprintURI() -> String {
        Self.thumbprintURIPrefix + thumbprint()
    }

    /// The prefix of `thumbprintURI()`.
    public static let thumbprintURIPrefix = "urn:jkt:sha-256:"
}
