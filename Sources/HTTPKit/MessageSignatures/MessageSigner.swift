/// The signing side: builds the base for the caller to sign and the `Signature-Input`/`Signature` field values.
///
/// ```swift
/// let signer = try MessageSigner(label: "sig", components: [.method, .authority, .path, .signatureKey],
///                                parameters: SignatureParameters(created: now), request: components)
/// let signature = try privateKey.signature(for: signer.base.bytes)
/// headers["Signature-Input"] = signer.signatureInputFieldValue
/// headers["Signature"] = signer.signatureFieldValue(signature: signature)
/// ```
public struct MessageSigner: Sendable {
    /// The input being signed (canonical serialization).
    public let input: SignatureInput
    /// The base to sign.
    public let base: SignatureBase

    /// Prepares a signature; the request must already carry every covered field (including `Signature-Key`).
    public init(
        label: String, components: [ComponentIdentifier], parameters: SignatureParameters,
        request: SignedRequestComponents
    ) throws(SignatureError) {
        input = try SignatureInput(label: label, components: components, parameters: parameters)
        base = try SignatureBase(input: input, request: request, paramsSource: .canonical)
    }

    /// The `Signature-Input` field value, e.g. `sig=("@method" …);created=1730217600`.
    public var signatureInputFieldValue: String { SignatureInputField.fieldValue([input]) }

    /// The `Signature` field value for the signature bytes the caller produced over `base.bytes`.
    public func signatureFieldValue(signature: [UInt8]) -> String {
        SignatureField.fieldValue([(input.label, signature)])
    }
}
