/// JWS Compact Serialization (RFC 7515 §7.1) with Ed25519 and ES256.
///
/// Decoding and verifying are separate so a caller can read `kid` (or, for a JWT, `iss`) from an
/// unverified token to choose the key, then verify with that key:
///
/// ```swift
/// let parts = try JWS.decodeUnverified(compact)
/// let key = try keys.key(for: parts.header.keyID)        // caller's lookup
/// let verified = try parts.verify(with: key)
/// let token = try JWS.sign(payload: bytes, key: .ed25519(privateKey), type: "JWT", keyID: "k1")
/// ```
public enum JWS {
    /// Limits and leniencies for decoding.
    public struct Options: Sendable, Hashable {
        /// The largest compact serialization accepted, in bytes (`tooLarge` beyond).
        public var maxLength: Int
        /// The deepest JSON nesting accepted in header and payload.
        public var maxJSONDepth: Int
        /// Read header `alg: EdDSA` as Ed25519 (RFC 8037 tokens).
        public var acceptsLegacyEdDSA: Bool

        public init(maxLength: Int = 16 * 1024, maxJSONDepth: Int = 16, acceptsLegacyEdDSA: Bool = true) {
            self.maxLength = maxLength
            self.maxJSONDepth = maxJSONDepth
            self.acceptsLegacyEdDSA = acceptsLegacyEdDSA
        }

        public static let standard = Options()
    }

    /// A decoded JWS whose signature has not been checked. Nothing in it is trustworthy yet.
    public struct Unverified: Sendable, Hashable {
        /// The header, used only to select a key before verification.
        public let header: JWSHeader
        /// The payload bytes, unauthenticated.
        public let unverifiedPayload: [UInt8]
        /// ASCII(BASE64URL(header) ‖ "." ‖ BASE64URL(payload)) (RFC 7515 §5.2 step 8).
        public let signingInput: [UInt8]
        /// The decoded signature.
        public let signature: [UInt8]

        /// Verifies the signature with `key`. The header `alg` must be the key's algorithm
        /// (RFC 7515 §10.7: never let the token choose how it is checked).
        public func verify(with key: JOSEPublicKey) throws(JOSEError) -> Verified {
            guard header.algorithm == key.algorithm else {
                throw .algorithmMismatch(header: header.algorithmName, key: key.algorithm.rawValue)
            }
            guard key.isValidJWSSignature(signature, for: signingInput) else { throw .badSignature }
            return Verified(header: header, payload: unverifiedPayload)
        }

        /// Verifies with a JWK; a JWK `alg` must match the header too.
        public func verify(with jwk: JWK) throws(JOSEError) -> Verified {
            if let algorithm = jwk.algorithm, algorithm != header.algorithm {
                throw .algorithmMismatch(header: header.algorithmName, key: algorithm.rawValue)
            }
            return try verify(with: jwk.publicKey)
        }
    }

    /// A JWS whose signature verified.
    public struct Verified: Sendable, Hashable {
        public let header: JWSHeader
        public let payload: [UInt8]
    }

    /// Splits and decodes a compact JWS without checking the signature. Refuses: input over
    /// `options.maxLength`; anything but three segments; non-canonical base64url (padding, other
    /// alphabets, non-zero trailing bits); a header that is not a strict JSON object (duplicate
    /// members included); a missing or unsupported `alg`; any `crit`.
    public static func decodeUnverified(_ compact: some StringProtocol, options: Options = .standard) throws(JOSEError)
        -> Unverified
    {
        let bytes = Array(compact.utf8)
        guard bytes.count <= options.maxLength else { throw .tooLarge(limit: options.maxLength) }
        let segments = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard segments.count == 3 else { throw .malformed("a compact JWS has three segments") }
        let encodedHeader = String(decoding: segments[0], as: UTF8.self)
        let encodedPayload = String(decoding: segments[1], as: UTF8.self)
        let encodedSignature = String(decoding: segments[2], as: UTF8.self)
        guard let headerBytes = Base64URL.decodeUnpadded(encodedHeader), !headerBytes.isEmpty else {
            throw .malformed("JWS header is not base64url")
        }
        guard let payload = Base64URL.decodeUnpadded(encodedPayload) else {
            throw .malformed("JWS payload is not base64url")
        }
        guard let signature = Base64URL.decodeUnpadded(encodedSignature) else {
            throw .malformed("JWS signature is not base64url")
        }
        let headerJSON = try JSONValue.parse(headerBytes, maxDepth: options.maxJSONDepth)
        let header = try JWSHeader(json: headerJSON, acceptsLegacyEdDSA: options.acceptsLegacyEdDSA)
        return Unverified(
            header: header, unverifiedPayload: payload,
            signingInput: Array(bytes[..<(segments[0].count + 1 + segments[1].count)]), signature: signature)
    }

    /// Decodes and verifies in one step.
    public static func verify(_ compact: some StringProtocol, key: JOSEPublicKey, options: Options = .standard)
        throws(JOSEError) -> Verified
    {
        try decodeUnverified(compact, options: options).verify(with: key)
    }

    /// Signs `payload` into a compact JWS with the header `{"alg","typ","kid"}` in that order
    /// (`typ` and `kid` omitted when `nil`).
    public static func sign(payload: [UInt8], key: JOSEPrivateKey, type: String? = nil, keyID: String? = nil)
        throws(JOSEError) -> String
    {
        // Unpadded base64url of n bytes is ⌈4n/3⌉ characters; 88 covers an ES256 or Ed25519 signature.
        func encodedCount(_ count: Int) -> Int { (count * 4 + 2) / 3 }
        // The whole token is built in one buffer: header, payload, then the signature appended
        // to the very bytes it covers (RFC 7515 §5.1 steps 2–7, then §7.1). The header's JSON is
        // written there first and moved aside to the stack while it is encoded in its place, so it
        // needs no array of its own. Every name and value below is at most 6 bytes per UTF-8 byte
        // once escaped, which bounds the header for the capacity.
        let headerBound = 40 + 6 * ((type?.utf8.count ?? 0) + (keyID?.utf8.count ?? 0))
        var token: [UInt8] = []
        token.reserveCapacity(encodedCount(headerBound) + encodedCount(payload.count) + 2 + 88)
        // The header's members are in a fixed conventional order, not sorted.
        func member(_ name: String, _ value: String) {
            token.append(token.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            CanonicalJSON.writeString(name, to: &token)
            token.append(UInt8(ascii: ":"))
            CanonicalJSON.writeString(value, to: &token)
        }
        member("alg", key.algorithm.rawValue)
        if let type { member("typ", type) }
        if let keyID { member("kid", keyID) }
        token.append(UInt8(ascii: "}"))
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: token.count) { header in
            _ = header.initialize(from: token)
            token.removeAll(keepingCapacity: true)
            Base64URL.append(UnsafeBufferPointer(header), to: &token)
        }
        token.append(UInt8(ascii: "."))
        Base64URL.append(payload, to: &token)
        let signature: [UInt8]
        do {
            signature = try key.jwsSignature(for: token)
        } catch {
            throw .crypto(error)
        }
        token.append(UInt8(ascii: "."))
        Base64URL.append(signature, to: &token)
        return String(decoding: token, as: UTF8.self)
    }
}
