/// Bounds applied while parsing so that hostile input costs bounded work.
public struct StructuredFieldLimits: Equatable, Sendable {
    /// Longest accepted field value in bytes, after multiple lines are joined (default 16 KiB).
    public var maxInputLength: Int
    /// Most members in a List or Dictionary, and most items in one Inner List.
    public var maxMembers: Int
    /// Most parameters on one Item or Inner List.
    public var maxParameters: Int
    /// Accept base64url characters (`-`, `_`) inside Byte Sequences; off by default because RFC 8941 §3.3.5 names
    /// standard base64 only. Used for the `Signature` field, which some clients write in base64url.
    public var allowsBase64URLByteSequences: Bool

    /// Creates limits; the defaults suit request headers of an authorization server.
    public init(
        maxInputLength: Int = 16_384, maxMembers: Int = 256, maxParameters: Int = 64,
        allowsBase64URLByteSequences: Bool = false
    ) {
        self.maxInputLength = maxInputLength
        self.maxMembers = maxMembers
        self.maxParameters = maxParameters
        self.allowsBase64URLByteSequences = allowsBase64URLByteSequences
    }

    /// 16 KiB, 256 members, 64 parameters, strict byte sequences.
    public static let `default` = StructuredFieldLimits()
}
