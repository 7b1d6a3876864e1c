import Foundation

/// A reviewer's "allow and amend": grants appended to a mission after approval. The mission's
/// `s256` does not change; the amendment has its own hash over its canonical bytes (DESIGN §3.3,
/// wire notes A2: we persist and hash exactly `canonicalBytes`).
public struct MissionAmendment: Hashable, Codable, Sendable {
    /// The longest reason kept.
    public static let maximumReasonBytes = 4096

    public let missionS256: String
    /// 1 for the first amendment of a mission, then 2, 3, …
    public let sequence: Int
    public let addedGrants: [AccessGrant]
    /// Who approved it (the reviewer's key id or name).
    public let reviewer: String
    /// Whole seconds.
    public let amendedAt: Date
    public let reason: String?

    /// An amendment; the time is truncated to whole seconds so it equals its text form.
    public init(
        missionS256: String, sequence: Int, addedGrants: [AccessGrant], reviewer: String,
        amendedAt: Date, reason: String?
    ) throws(MissionError) {
        guard sequence >= 1 else { throw .invalidEnvelope("amendment sequence starts at 1") }
        guard !addedGrants.isEmpty, addedGrants.count <= AccessEnvelope.maximumEntries else {
            throw .invalidEnvelope("an amendment adds 1…\(AccessEnvelope.maximumEntries) grants")
        }
        guard !reviewer.isEmpty else { throw .invalidEnvelope("an amendment names its reviewer") }
        if let reason, reason.utf8.count > MissionAmendment.maximumReasonBytes {
            throw .invalidEnvelope("reason longer than \(MissionAmendment.maximumReasonBytes) bytes")
        }
        self.missionS256 = missionS256
        self.sequence = sequence
        self.addedGrants = addedGrants
        self.reviewer = reviewer
        self.amendedAt = RFC3339.truncatedToSeconds(amendedAt)
        self.reason = reason
    }

    /// Canonical JSON: `{"added_grants":[…],"amended_at":"…","mission_s256":"…","reason":"…"?,
    /// "reviewer":"…","sequence":n}` with sorted keys and no whitespace.
    public var canonicalBytes: [UInt8] {
        CanonicalValue.members([
            ("added_grants", .array(addedGrants.map(\.canonicalValue))),
            ("amended_at", .string(RFC3339.string(from: amendedAt))),
            ("mission_s256", .string(missionS256)),
            ("reason", reason.map { .string($0) }),
            ("reviewer", .string(reviewer)),
            ("sequence", .integer(Int64(sequence))),
        ]).bytes
    }

    /// Unpadded base64url SHA-256 of `canonicalBytes`.
    public var s256: String { Base64URL.encode(SHA256.hash(canonicalBytes)) }
}
