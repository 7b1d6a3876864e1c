/// Everything the route layer itself refuses, before or beside MissionCore. `ErrorMapping` turns
/// each case into its response; nothing else builds error responses.
enum RouteError: Error, Equatable, Sendable {
    /// The body or a parameter is malformed: bad JSON, an unknown member, a wrong type (400).
    case invalidRequest(String)
    /// The agent's signature failed (401 + `Signature-Error`).
    case signature(SignatureFailure)
    /// A resource token presented in a token request was refused (400, or 503 when keys are unreachable).
    case resourceToken(ResourceTokenError)
    /// No admin key, an unknown one or a revoked one (401 `invalid_token`, RFC 6750 §3.1).
    case invalidAdminToken
    /// Too many failed admin authentications from this address (429).
    case tooManyFailures(retryAfter: Int)
    /// The admin key's role lacks the permission (403 `forbidden`).
    case forbidden
    /// The database did not answer a health check (503).
    case unhealthy
}
