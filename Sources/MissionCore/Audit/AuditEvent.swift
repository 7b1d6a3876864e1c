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

    /// The bytes that are hashed (see the type's documentation).
    ///
    /// Written member by member in the canonical order (the names are fixed ASCII, so their
    /// RFC 8785 order is the one below): this runs for every event appended or verified, and
    /// building a dictionary and sorting its keys each time cost more than the hashing.
    public var canonicalBytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        var first = true
        func member(_ name: StaticString) {
            output.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            output.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { output.append(contentsOf: $0) }
            output.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
        func string(_ name: StaticString, _ value: String?) {
            guard let value else { return }
            member(name)
            CanonicalJSON.writeString(value, to: &output)
        }
        string("action", action.rawValue)
        string("actor", actor)
        string("actor_role", actorRole.rawValue)
        string("decision", decision)
        if !details.isEmpty {
            member("details")
            output.append(contentsOf: CanonicalJSON.encodeStrings(details))
        }
        string("mission_s256", missionS256)
        string("reason", reason)
        string("resource", resource)
        if let scopes {
            member("scopes")
            output.append(UInt8(ascii: "["))
            for (index, scope) in scopes.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                CanonicalJSON.writeString(scope, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
        member("sequence")
        output.append(contentsOf: String(sequence).utf8)
        string("time", RFC3339.string(epochMilliseconds: timeMilliseconds))
        string("token_id", tokenID)
        output.append(UInt8(ascii: "}"))
        return output
    }

    /// `SHA-256(previousHash ‖ canonicalBytes)`, recomputed from the content.
    public var computedHash: [UInt8] {
        var hasher = SHA256.Hasher()
        hasher.update(previousHash)
        hasher.update(canonicalBytes)
        return hasher.finalize()
    }

    /// Base64url of `hash`, for display and APIs.
    public var hashText: String { Base64URL.encode(hash) }
}
