import HTTPKit

/// Why a resource token (`aa-resource+jwt`, a token-request parameter) was refused. These are request errors, not
/// signature errors: the route answers them without `Signature-Error` (wire notes §4.2; Docs/Protocol.md).
public enum ResourceTokenError: Error, Equatable, Sendable {
    /// Not a well-formed JWT, or its header `alg` is not accepted.
    case malformed(String)
    /// The header `typ` is not `aa-resource+jwt`.
    case wrongType(String?)
    /// `iss` is not a configured resource.
    case unknownIssuer
    /// The resource has no key with the token's `kid`.
    case unknownKey
    /// The signature does not verify with the resource's key.
    case badSignature
    /// `exp` has passed.
    case expired
    /// `iat` is ahead of our clock by more than the window.
    case issuedInFuture
    /// `aud` is not this MA's issuer.
    case wrongAudience
    /// `agent_jkt` is not the thumbprint of the key that signed the request.
    case agentKeyMismatch
    /// A claim is missing or has the wrong form (`exp`, `jti`, `scope`, `mission_s256`, `dwk`).
    case invalidClaim(String)
    /// The resource's keys could not be fetched (discovery) and none are cached.
    case keysUnavailable

    /// The `error` code for the problem body: [M]/[N] §Token Endpoint Error Codes.
    public var errorCode: String {
        switch self {
        case .expired: "expired_resource_token"
        case .issuedInFuture: "clock_skew"
        case .keysUnavailable: "server_error"
        default: "invalid_resource_token"
        }
    }

    /// 400 for everything the agent sent wrong; 503 when the resource's keys are unreachable (not the agent's fault,
    /// worth a retry).
    public var status: HTTPStatus { self == .keysUnavailable ? .serviceUnavailable : .badRequest }

    /// A short reason for the problem body's `detail`.
    public var detail: String {
        switch self {
        case .malformed(let reason): "the resource token is malformed: \(reason)"
        case .wrongType(let type): "the resource token's typ is \(type ?? "absent"), not aa-resource+jwt"
        case .unknownIssuer: "the resource token's iss is not a configured resource"
        case .unknownKey: "the resource has no key with the token's kid"
        case .badSignature: "the resource token's signature does not verify"
        case .expired: "the resource token has expired"
        case .issuedInFuture: "the resource token's iat is ahead of the server clock"
        case .wrongAudience: "the resource token's aud is not this mission authority"
        case .agentKeyMismatch: "the resource token's agent_jkt is not the signing key's thumbprint"
        case .invalidClaim(let name): "the resource token's \(name) claim is missing or invalid"
        case .keysUnavailable: "the resource's keys are unavailable; retry later"
        }
    }

    /// Seconds a client is told to wait after a 503 (the key fetch is retried on the next request).
    public static let retryAfterSeconds = 5

    /// The problem+json response; the 503 carries `Retry-After` (wire notes §3: 503 means honour Retry-After).
    public func response() -> HTTPResponse {
        var response = HTTPResponse.problem(status: status, error: errorCode, detail: detail)
        if status == .serviceUnavailable {
            response.headers.add(name: "Retry-After", value: RetryAfter.fieldValue(seconds: Self.retryAfterSeconds))
        }
        return response
    }
}
