import Foundation

/// An admin API key as listed: never the secret nor its hash.
public struct AdminKeyRecord: Hashable, Sendable {
    public let id: String
    public let name: String
    public let role: AdminRole
    public let createdAt: Date
    /// Updated at most once a minute.
    public let lastUsedAt: Date?
    public let revokedAt: Date?
}
