import Foundation

/// What a mission may access (DESIGN §3.3): `grants` are allowed outright, `review` entries only
/// after a human says yes; everything else is outside the mission.
public struct AccessEnvelope: Hashable, Codable, Sendable {
    /// The default token lifetime: five minutes.
    public static let defaultTokenLifetime = 300
    /// The ceiling on any token lifetime: one hour (DESIGN §3.5, `exp` ≤ 1 h).
    public static let maximumTokenLifetime = 3600
    /// A guard on envelope size; far above any realistic mission.
    public static let maximumEntries = 200

    public let grants: [AccessGrant]
    public let review: [AccessGrant]
    /// The mission's expiry, copied here so an envelope alone can cap token lifetimes.
    public let expiresAt: Date?
    /// Seconds, 1…3600.
    public let maxTokenLifetime: Int

    /// An envelope; refuses an out-of-range lifetime or an oversized entry list.
    public init(
        grants: [AccessGrant] = [], review: [AccessGrant] = [], expiresAt: Date? = nil,
        maxTokenLifetime: Int = AccessEnvelope.defaultTokenLifetime
    ) throws(MissionError) {
        guard (1...AccessEnvelope.maximumTokenLifetime).contains(maxTokenLifetime) else {
            throw .invalidEnvelope("max token lifetime must be 1…\(AccessEnvelope.maximumTokenLifetime) seconds")
        }
        guard grants.count + review.count <= AccessEnvelope.maximumEntries else {
            throw .invalidEnvelope("more than \(AccessEnvelope.maximumEntries) entries")
        }
        self.grants = grants
        self.review = review
        self.expiresAt = expiresAt
        self.maxTokenLifetime = maxTokenLifetime
    }

    /// Nothing granted, nothing reviewable, default lifetime, no expiry.
    public static let empty = AccessEnvelope(
        unchecked: [], review: [], expiresAt: nil, maxTokenLifetime: defaultTokenLifetime)

    private init(unchecked grants: [AccessGrant], review: [AccessGrant], expiresAt: Date?, maxTokenLifetime: Int) {
        self.grants = grants
        self.review = review
        self.expiresAt = expiresAt
        self.maxTokenLifetime = maxTokenLifetime
    }

    /// This envelope with `extra` appended to `grants` (amendments only ever add).
    public func adding(_ extra: [AccessGrant]) -> AccessEnvelope {
        guard !extra.isEmpty else { return self }
        return AccessEnvelope(
            unchecked: grants + extra, review: review, expiresAt: expiresAt,
            maxTokenLifetime: maxTokenLifetime)
    }

    /// This envelope with another expiry (set when the approval fixes the mission's expiry).
    public func expiring(at date: Date?) -> AccessEnvelope {
        AccessEnvelope(unchecked: grants, review: review, expiresAt: date, maxTokenLifetime: maxTokenLifetime)
    }

    /// True when it grants nothing, reviews nothing and uses the default lifetime: such an
    /// envelope is left out of a blob, so the minimal blob stays minimal.
    public var isDefault: Bool {
        grants.isEmpty && review.isEmpty && maxTokenLifetime == AccessEnvelope.defaultTokenLifetime
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let lifetime =
            try container.decodeIfPresent(Int.self, forKey: .maxTokenLifetime) ?? AccessEnvelope.defaultTokenLifetime
        do {
            try self.init(
                grants: try container.decodeIfPresent([AccessGrant].self, forKey: .grants) ?? [],
                review: try container.decodeIfPresent([AccessGrant].self, forKey: .review) ?? [],
                expiresAt: try container.decodeIfPresent(Date.self, forKey: .expiresAt),
                maxTokenLifetime: lifetime)
        } catch let error as MissionError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    /// The envelope as written into a blob: `expires_at` is a top-level blob member instead.
    var canonicalValue: CanonicalValue {
        .object([
            "grants": .array(grants.map(\.canonicalValue)),
            "review": .array(review.map(\.canonicalValue)),
            "max_token_lifetime": .integer(Int64(maxTokenLifetime)),
        ])
    }
}
