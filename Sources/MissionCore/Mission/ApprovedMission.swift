/// The exact bytes the MA approved and the identifier derived from them. Stored and served
/// byte for byte; never re-serialised ([M] §Mission Identifier; wire notes A1).
public struct ApprovedMission: Hashable, Codable, Sendable {
    /// Which response shape these bytes belong to.
    public enum Form: String, Hashable, Codable, Sendable {
        /// Seed draft: the bytes are the approved Markdown, returned as `mission.approved`.
        case markdown
        /// Current draft: the bytes are a JSON blob, returned base64url-encoded as `mission`.
        case blob
    }

    public let form: Form
    /// The exact approved bytes (UTF-8 Markdown, or the JSON blob).
    public let bytes: [UInt8]
    /// Unpadded base64url SHA-256 of `bytes` (43 characters).
    public let s256: String

    /// Wraps `bytes`, computing `s256` from them.
    public init(form: Form, bytes: [UInt8]) {
        self.form = form
        self.bytes = bytes
        self.s256 = Base64URL.encode(SHA256.hash(bytes))
    }

    /// The bytes as text (both forms are UTF-8).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The blob as the current draft returns it in `mission`: unpadded base64url.
    public var base64URL: String { Base64URL.encode(bytes) }

    // The bytes are encoded as one base64url string: a JSON array of numbers (Codable's default for
    // [UInt8]) made every stored mission record cost one JSON number per byte to decode.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let encoded = try container.decode(String.self, forKey: .bytes)
        guard let bytes = Base64URL.decode(encoded) else {
            throw DecodingError.dataCorruptedError(
                forKey: .bytes, in: container, debugDescription: "approved bytes are not base64url")
        }
        self.init(form: try container.decode(Form.self, forKey: .form), bytes: bytes)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(form, forKey: .form)
        try container.encode(base64URL, forKey: .bytes)
    }

    private enum CodingKeys: String, CodingKey { case form, bytes }
}
