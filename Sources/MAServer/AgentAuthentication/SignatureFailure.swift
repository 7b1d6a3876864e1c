import HTTPKit

/// Why `AgentAuthenticator` refused a request: the `Signature-Error` code and everything the route layer needs to
/// answer 401 with `Signature-Error`, `Accept-Signature-*` and a problem+json body (wire notes §1.5, §1.6).
///
/// ```swift
/// case .failure(let failure): return failure.response()
/// ```
public struct SignatureFailure: Error, Equatable, Sendable {
    /// The `Signature-Error` code.
    public let code: SignatureErrorCode
    /// A human-readable reason for logs and the problem body's `detail`; never contains key material or tokens.
    public let detail: String
    /// `required_input` for `invalid_input`: the full list of components this request must cover.
    public let requiredInput: [String]?
    /// `Accept-Signature-Scheme` values, sent with `unsupported_scheme`.
    public let acceptedSchemes: [String]?
    /// `Accept-Signature-Alg` values, sent with `unsupported_algorithm`.
    public let acceptedAlgorithms: [String]?
    /// Set when the signature was valid but the server could not record what replay protection needs: the answer is
    /// then 503 with this `Retry-After`, not 401 (the agent did nothing wrong).
    public let unavailableRetryAfter: Int?

    /// Creates a failure.
    public init(
        _ code: SignatureErrorCode, _ detail: String, requiredInput: [String]? = nil, acceptedSchemes: [String]? = nil,
        acceptedAlgorithms: [String]? = nil
    ) {
        self.code = code
        self.detail = detail
        self.requiredInput = requiredInput
        self.acceptedSchemes = acceptedSchemes
        self.acceptedAlgorithms = acceptedAlgorithms
        unavailableRetryAfter = nil
    }

    private init(unrecordedRetryAfter retryAfter: Int) {
        code = .invalidSignature
        detail = "the signature could not be recorded for replay protection; retry later"
        requiredInput = nil
        acceptedSchemes = nil
        acceptedAlgorithms = nil
        unavailableRetryAfter = retryAfter
    }

    /// A valid signature dated ahead of our clock whose replay mark could not be written (fail closed: nothing is
    /// decided on it). Answered 503 `temporarily_unavailable` with `Retry-After`, like any decision that cannot be
    /// recorded.
    public static let unrecorded = SignatureFailure(unrecordedRetryAfter: 5)

    /// The status AAuth answers every signature failure with (wire notes §1.5: 401, never 400 or 403).
    public static let status = HTTPStatus.unauthorized

    /// The response fields: `Signature-Error` (with `required_input` when set), and `Accept-Signature-Scheme` /
    /// `Accept-Signature-Alg` when set. Names in canonical case.
    public var responseFields: [(name: String, value: String)] {
        let signatureError =
            (try? SignatureErrorField.fieldValue(code: code, requiredInput: requiredInput))
            ?? "error=" + code.rawValue
        var fields = [(name: "Signature-Error", value: signatureError)]
        if let acceptedSchemes, !acceptedSchemes.isEmpty,
            let value = try? SignatureErrorField.acceptSchemeFieldValue(acceptedSchemes)
        {
            fields.append((name: "Accept-Signature-Scheme", value: value))
        }
        if let acceptedAlgorithms, !acceptedAlgorithms.isEmpty,
            let value = try? SignatureErrorField.acceptAlgorithmFieldValue(acceptedAlgorithms)
        {
            fields.append((name: "Accept-Signature-Alg", value: value))
        }
        return fields
    }

    /// The problem `type`: [SK] asks for `urn:ietf:params:sig-error:<code>`; AAuth readers use the `error` member,
    /// so the body carries both (wire notes §1.6).
    public var problemType: String { "urn:ietf:params:sig-error:" + code.rawValue }

    /// The complete 401: problem+json body (`type`, `error`, `status`, `detail`) and the response fields.
    public func response() -> HTTPResponse {
        if let retryAfter = unavailableRetryAfter {
            var response = HTTPResponse.problem(
                status: .serviceUnavailable, error: "temporarily_unavailable", detail: detail)
            response.headers.add(name: "Retry-After", value: RetryAfter.fieldValue(seconds: retryAfter))
            return response
        }
        var response = HTTPResponse.problem(
            status: Self.status, error: code.rawValue, detail: detail, extra: ["type": .string(problemType)])
        for field in responseFields { response.headers.add(name: field.name, value: field.value) }
        return response
    }
}

extension SignatureFailure {
    /// Wraps an HTTPKit `SignatureError` (steps 1–4 of wire notes §1.5) with its code and response data.
    init(_ error: SignatureError) {
        var acceptedSchemes: [String]?
        if case .unsupportedScheme(_, let accepted) = error { acceptedSchemes = accepted }
        var code = error.code
        var requiredInput = error.requiredInput
        // A covered content-digest that was not sent: the client must add the field, the same remedy as an
        // uncovered component, so it gets invalid_input (Docs/Interop.md checklist 11) rather than a bare
        // invalid_signature.
        if case .missingComponentValue(let component) = error, component == "\"content-digest\"" {
            code = .invalidInput
            requiredInput = ["content-digest"]
        }
        self.init(
            code, Self.describe(error), requiredInput: requiredInput, acceptedSchemes: acceptedSchemes)
    }

    private static func describe(_ error: SignatureError) -> String {
        switch error {
        case .missingField(let name): "the \(name) field is missing"
        case .malformedField(let name, _): "the \(name) field is not a valid structured field"
        case .noCommonLabel: "no signature label appears in Signature-Input, Signature and Signature-Key alike"
        case .missingLabel(let label, let field): "\(field) has no member \(label)"
        case .repeatedLabel(let label, let field): "\(field) repeats the label \(label)"
        case .invalidMember(let field, let key): "\(field) member \(key) has the wrong type"
        case .invalidComponentIdentifier(let name): "covered component \(name) is not supported"
        case .repeatedComponent(let name): "covered component \(name) is repeated"
        case .invalidSignatureParameter(let name): "signature parameter \(name) has the wrong type"
        case .missingComponentValue(let name): "covered component \(name) is absent from the request"
        case .invalidComponentValue(let name): "covered component \(name) cannot be put in a signature base"
        case .missingRequiredComponents(_, let missing):
            "the signature must cover " + missing.joined(separator: ", ")
        case .missingCreated: "the created parameter is required"
        case .createdTooOld: "the signature's created time is outside the validity window"
        case .createdInFuture: "the signature's created time is ahead of the server clock"
        case .expired: "the signature has expired"
        case .unsupportedScheme(let name, _): "Signature-Key scheme \(name) is not accepted"
        case .invalidKeyParameter(let scheme, let parameter): "\(scheme) parameter \(parameter) is missing or invalid"
        case .keyIDMismatch: "keyid names another key than Signature-Key"
        case .unsupportedDigest: "Content-Digest names no supported algorithm (sha-256, sha-512)"
        }
    }
}
