/// Why a signed request was refused before (or instead of) checking the signature bytes; `code` is the
/// `Signature-Error` code to answer with (AAuth answers all of them with 401, wire notes §1.5).
public enum SignatureError: Error, Equatable, Sendable {
    /// `Signature-Input`, `Signature` or `Signature-Key` is absent (the newer draft's `invalid_signature`).
    case missingField(String)
    /// A field is not a valid structured field of its type.
    case malformedField(String, StructuredFieldError)
    /// No label appears in `Signature-Input`, `Signature` and `Signature-Key` alike.
    case noCommonLabel
    /// The chosen label has no member in the named field.
    case missingLabel(label: String, field: String)
    /// A label occurs twice in one field; RFC 8941 would keep the last, but a repeat here hints at tampering.
    case repeatedLabel(label: String, field: String)
    /// A member has the wrong shape: `Signature-Input` needs an Inner List, `Signature` a Byte Sequence,
    /// `Signature-Key` a Token, `Content-Digest` a Byte Sequence.
    case invalidMember(field: String, key: String)
    /// A covered component identifier is not a lowercase String with known parameters, or names an unknown
    /// derived component (RFC 9421 §2, §2.2).
    case invalidComponentIdentifier(String)
    /// The same component identifier is covered twice (RFC 9421 §2.5 step 2.1).
    case repeatedComponent(String)
    /// A signature parameter has the wrong type (`created`/`expires` need Integers, the rest Strings).
    case invalidSignatureParameter(String)
    /// A covered field or query parameter is absent from the request (RFC 9421 §2.5 step 2.4).
    case missingComponentValue(String)
    /// A covered value cannot appear in a signature base (control characters, a repeated query parameter, a field
    /// that does not parse for `;sf`/`;key`).
    case invalidComponentValue(String)
    /// The signature does not cover what the policy requires; `required` is the full list to send as
    /// `required_input`, `missing` what this request lacked.
    case missingRequiredComponents(required: [String], missing: [String])
    /// The `created` parameter is absent (AAuth makes it REQUIRED).
    case missingCreated
    /// `created` is older than the validity window.
    case createdTooOld(created: Int64, now: Int64)
    /// `created` is further ahead of the server clock than the window.
    case createdInFuture(created: Int64, now: Int64)
    /// `expires` is in the past.
    case expired(expires: Int64, now: Int64)
    /// The selected `Signature-Key` scheme is not accepted; `accepted` goes into `Accept-Signature-Scheme`.
    case unsupportedScheme(String, accepted: [String])
    /// A `Signature-Key` parameter the scheme needs is absent, mistyped or forbidden (`kid` on `hwk`).
    case invalidKeyParameter(scheme: String, parameter: String)
    /// `keyid` names another key than the `Signature-Key` member (wire notes §1.2).
    case keyIDMismatch
    /// `Content-Digest` names no supported algorithm or has a digest of the wrong length (RFC 9530).
    case unsupportedDigest

    /// The `Signature-Error` code for this failure.
    public var code: SignatureErrorCode {
        switch self {
        case .missingRequiredComponents: .invalidInput
        case .createdInFuture: .clockSkew
        case .unsupportedScheme: .unsupportedScheme
        case .invalidKeyParameter, .keyIDMismatch: .invalidKey
        case .malformedField(let field, _) where field == "signature-key": .invalidKey
        case .invalidMember(let field, _) where field == "signature-key": .invalidKey
        case .malformedField(let field, _) where field == "content-digest": .invalidRequest
        case .invalidMember(let field, _) where field == "content-digest": .invalidRequest
        case .unsupportedDigest: .invalidRequest
        default: .invalidSignature
        }
    }

    /// The `required_input` list to send with `invalid_input`, if any.
    public var requiredInput: [String]? {
        if case .missingRequiredComponents(let required, _) = self { return required }
        return nil
    }
}
