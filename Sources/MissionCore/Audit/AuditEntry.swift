import Foundation

/// The content of an event before the chain numbers and hashes it.
public struct AuditEntry: Hashable, Sendable {
    public var time: Date
    public var missionS256: String?
    public var actor: String
    public var actorRole: ActorRole
    public var action: AuditAction
    public var resource: String?
    public var scopes: [String]?
    public var decision: String?
    public var reason: String?
    public var tokenID: String?
    public var details: [String: String]

    public init(
        time: Date, missionS256: String? = nil, actor: String, actorRole: ActorRole, action: AuditAction,
        resource: String? = nil, scopes: [String]? = nil, decision: String? = nil, reason: String? = nil,
        tokenID: String? = nil, details: [String: String] = [:]
    ) {
        self.time = time
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
    }
}
