import Foundation

/// An auth token (`aa-auth+jwt`) the MA issued and recorded.
public struct IssuedToken: Hashable, Sendable {
    /// The compact JWT.
    public let token: String
    /// Its `jti` (the audit trail's `token_id`).
    public let jti: String
    public let missionS256: String
    /// The audience: the resource origin.
    public let resource: String
    /// Sorted, de-duplicated.
    public let scopes: [String]
    public let issuedAt: Date
    public let expiresAt: Date

    /// `exp - iat` in seconds (the token response's `expires_in`).
    public var expiresIn: Int { Int(expiresAt.timeIntervalSince(issuedAt)) }
}
