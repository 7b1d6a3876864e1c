import Foundation

/// One append-only audit record (DESIGN §3.6).
///
/// Canonical bytes: canonical JSON (sorted keys, no whitespace, absent members omitted) of
/// `{"action","actor","actor_role","decision"?,"details"?,"mission_s256"?,"reason"?,"resource"?,
/// "scopes"?,"sequence","time","token_id"?}`, with `time` in RFC 3339 UTC with milliseconds and
/// `details` left out when empty. `hash = SHA-256(previousHash ‖ canonicalBytes)`.
///
/// Never put a raw token, key or secret here: `tokenID` is the `jti`. As a second line of defence
/// every text member is scanned and compact-JWS-shaped words or admin-key secrets are replaced by
/// `[redacted]` before hashing.
public struct AuditEvent: Hashable, Codable, Sendable {
    /// 1, 2, 3, … without gaps.
    public let sequence: Int64
    /// Milliseconds since 1970; the value that is hashed (a `Date` would not round-trip exactly).
    public let timeMilliseconds: Int64
    public let missionS256: String?
    /// The agent id, admin key id, or `ma` for the system.
    public let actor: String
    public let actorRole: ActorRole
    public let action: AuditAction
    public let resource: String?
    public let scopes: [String]?
    /// `granted`, `deferred`, `denied`, … where the action is a decision.
    public let decision: String?
    public let reason: String?
    /// The `jti` of a token issued or concerned, never the token.
    public let tokenID: String?
    public let details: [String: String]
    /// The hash of the event before (32 zero bytes before the first).
    public let previousHash: [UInt8]
    /// SHA-256 of `previousHash ‖ canonicalBytes`.
    public let hash: [UInt8]

    /// An event as stored (hashes included). Use `AuditChain.append` to create new ones.
    public init(
        sequence: Int64, timeMilliseconds: Int64, missionS256: String?, actor: String, actorRole: ActorRole,
        action: AuditAction, resource: String? = nil, scopes: [String]? = nil, decision: String? = nil,
        reason: String? = nil, tokenID: String? = nil, details: [String: String] = [:],
        previousHash: [UInt8], hash: [UInt8]
    ) {
        self.sequence = sequence
        self.timeMilliseconds = timeMilliseconds
        self.missionS256 = missionS256
        self.actor = actor
        self.actorRole = actorRole
        self.action = action
        self.resource = resource
        self.scopes = scopes
        self.decision = decision
        self.reason = reason
        self.tokenID = tokenID
        self.details = details
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The event time.
    public var time: Date { Date(timeIntervalSince1970: Double(timeMilliseconds) / 1000) }

    /// The bytes that are hashed (see the type's documentation), written member by member by
    /// `AuditCanonicalForm` (this runs for every event appended or verified).
    public var canonicalBytes: [UInt8] { AuditCanonicalForm.bytes(self) }

    /// `SHA-256(previousHash ‖ canonicalBytes)`, recomputed from the content.
    public var computedHash: [UInt8] {
        let hasher = AuditHasher()
        return hasher.hash(previousHash, canonicalBytes)
    }

    /// This event with `hash` set (the chain hashes an event it has just built).
    func withHash(_ hash: [UInt8]) -> AuditEvent {
        AuditEvent(
            sequence: sequence, timeMilliseconds: timeMilliseconds, missionS256: missionS256, actor: actor,
            actorRole: actorRole, action: action, resource: resource, scopes: scopes, decision: decision,
            reason: reason, tokenID: tokenID, details: details, previousHash: previousHash, hash: hash)
    }

    /// Base64url of `hash`, for display and APIs.
    public var hashText: String { Base64URL.encode(hash) }
}

extension AuditEvent: AuditCanonicalSource {
    func has(_ member: AuditCanonicalForm.Member) -> Bool {
        switch member {
        case .action, .actor, .actorRole, .sequence, .time: true
        case .decision: decision != nil
        case .details: !details.isEmpty
        case .missionS256: missionS256 != nil
        case .reason: reason != nil
        case .resource: resource != nil
        case .scopes: scopes != nil
        case .tokenID: tokenID != nil
        }
    }

    func write(_ member: AuditCanonicalForm.Member, to writer: inout AuditCanonicalForm.Writer) {
        switch member {
        case .action: writer.string(action.rawValue)
        case .actor: writer.string(actor)
        case .actorRole: writer.string(actorRole.rawValue)
        case .decision: writer.string(decision ?? "")
        case .details: writer.output.append(contentsOf: CanonicalJSON.encodeStrings(details))
        case .missionS256: writer.string(missionS256 ?? "")
        case .reason: writer.string(reason ?? "")
        case .resource: writer.string(resource ?? "")
        case .scopes: writer.strings(scopes ?? [])
        case .sequence: writer.integer(sequence)
        case .time: writer.time(epochMilliseconds: timeMilliseconds)
        case .tokenID: writer.string(tokenID ?? "")
        }
    }
}
