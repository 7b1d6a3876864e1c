import Foundation

/// An accepted `{"action":"update","description":…}` ([M] §Mission Update). The mission's `s256`
/// stays; the update has its own `s256` over its canonical bytes, which are what we persist and
/// serve (wire notes A2 leaves "what is persisted" open; we chose a small wrapper with the
/// mission, the sequence and the time, so two identical descriptions never share a hash):
/// `{"accepted_at":"…","description":"…","mission_s256":"…","sequence":n}` (sorted keys).
public struct MissionUpdate: Hashable, Codable, Sendable {
    public let missionS256: String
    /// 1 for the first accepted update, then 2, 3, …
    public let sequence: Int
    /// The new Markdown description (same limits as a proposal).
    public let description: String
    /// Whole seconds.
    public let acceptedAt: Date

    /// Validates the description; the time is truncated to whole seconds.
    public init(missionS256: String, sequence: Int, description: String, acceptedAt: Date) throws(MissionError) {
        guard sequence >= 1 else { throw .invalidProposal("update sequence starts at 1") }
        try MissionProposal.validateText(description, member: "description")
        self.missionS256 = missionS256
        self.sequence = sequence
        self.description = description
        self.acceptedAt = RFC3339.truncatedToSeconds(acceptedAt)
    }

    /// The persisted and hashed bytes.
    public var canonicalBytes: [UInt8] {
        CanonicalValue.members([
            ("accepted_at", .string(RFC3339.string(from: acceptedAt))),
            ("description", .string(description)),
            ("mission_s256", .string(missionS256)),
            ("sequence", .integer(Int64(sequence))),
        ]).bytes
    }

    /// Unpadded base64url SHA-256 of `canonicalBytes`, returned to the agent as `s256`.
    public var s256: String { Base64URL.encode(SHA256.hash(canonicalBytes)) }
}
