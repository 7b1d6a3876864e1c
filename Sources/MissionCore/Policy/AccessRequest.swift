/// An agent's request for access under a mission: one resource origin and the scopes it needs.
public struct AccessRequest: Hashable, Codable, Sendable {
    /// The longest justification kept (agent-asserted Markdown, shown to reviewers).
    public static let maximumJustificationBytes = 4096

    public let resource: Origin
    /// Sorted, de-duplicated scope tokens; never empty.
    public let scopes: [String]
    public let justification: String?

    /// Validates the request: an exact origin (no wildcards: a token has one audience) and
    /// RFC 6749 scope tokens.
    public init(resource: String, scopes: [String], justification: String? = nil) throws(MissionError) {
        do {
            self.resource = try Origin(resource)
        } catch {
            throw .invalidAccessRequest("resource: \(error)")
        }
        do {
            self.scopes = try ScopeSet.validatedTokens(scopes)
        } catch {
            throw .invalidAccessRequest("scope: \(error)")
        }
        if let justification, justification.utf8.count > AccessRequest.maximumJustificationBytes {
            throw .invalidAccessRequest("justification longer than \(AccessRequest.maximumJustificationBytes) bytes")
        }
        self.justification = justification
    }

    /// This request with `justification` instead of its own, checked as the initializer checks it.
    func replacingJustification(_ justification: String?) throws(MissionError) -> AccessRequest {
        if let justification, justification.utf8.count > AccessRequest.maximumJustificationBytes {
            throw .invalidAccessRequest("justification longer than \(AccessRequest.maximumJustificationBytes) bytes")
        }
        return AccessRequest(resource: resource, scopes: scopes, validatedJustification: justification)
    }

    private init(resource: Origin, scopes: [String], validatedJustification: String?) {
        self.resource = resource
        self.scopes = scopes
        self.justification = validatedJustification
    }

    /// Splits an OAuth-style space-separated `scope` string (RFC 6749 §3.3) and validates it.
    public init(resource: String, scope: String, justification: String? = nil) throws(MissionError) {
        let parts = scope.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains("") else { throw .invalidAccessRequest("scope: empty token or extra spaces") }
        try self.init(resource: resource, scopes: parts, justification: justification)
    }
}
