import HTTPKit
import MissionCore

/// Authenticates admin API requests (`Authorization: Bearer <key>`, RFC 6750 §2.1) and checks the
/// key's role against MissionCore's permission table. Failed attempts are limited per client
/// address before the key is even looked up.
final class AdminAuthenticator: Sendable {
    private let authority: MissionAuthority
    private let limiter: FailureRateLimiter

    init(authority: MissionAuthority, limiter: FailureRateLimiter) {
        self.authority = authority
        self.limiter = limiter
    }

    /// The principal for `request`, allowed to do `permission`.
    func authenticate(_ request: HTTPRequest, for permission: AdminPermission) throws -> AdminPrincipal {
        let client = Self.clientAddress(request.remoteAddress)
        if let retryAfter = limiter.retryAfter(client) { throw RouteError.tooManyFailures(retryAfter: retryAfter) }
        guard let secret = Self.bearerToken(request.headers.values(for: "Authorization")) else {
            throw RouteError.invalidAdminToken
        }
        guard let principal = try authority.authenticateAdmin(secret: secret) else {
            limiter.recordFailure(client)
            throw RouteError.invalidAdminToken
        }
        guard principal.role.allows(permission) else { throw RouteError.forbidden }
        return principal
    }

    /// The token of exactly one `Authorization: Bearer <token>` field (scheme case-insensitive,
    /// RFC 9110 §11.1), or `nil`.
    static func bearerToken(_ values: [String]) -> String? {
        guard values.count == 1, let value = values.first else { return nil }
        let parts = value.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1])
    }

    /// The address without its port (`1.2.3.4:5678` → `1.2.3.4`, `[::1]:80` → `::1`).
    static func clientAddress(_ remote: String) -> String {
        if remote.hasPrefix("["), let close = remote.firstIndex(of: "]") {
            return String(remote[remote.index(after: remote.startIndex)..<close])
        }
        if let colon = remote.lastIndex(of: ":"), remote.firstIndex(of: ":") == colon {
            return String(remote[..<colon])
        }
        return remote
    }
}
