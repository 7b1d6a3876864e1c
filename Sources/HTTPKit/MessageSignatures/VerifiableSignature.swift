/// Everything a verifier needs for one signature, after the AAuth checks that need no key (wire notes §1.5
/// steps 1–4). The caller resolves the key, then verifies `signature` over `base.bytes` (and, only if that fails
/// and `canonicalBase` is not nil, may retry over it).
///
/// ```swift
/// let prepared = try VerifiableSignature(request: components, hasBody: true, now: clock.now())
/// guard case .jwt(let token) = prepared.key.scheme else { … }
/// ```
public struct VerifiableSignature: Sendable {
    /// The label verified.
    public let label: String
    /// The validated `Signature-Input` member.
    public let input: SignatureInput
    /// The signature bytes from `Signature`.
    public let signature: [UInt8]
    /// The `Signature-Key` member for the label.
    public let key: SignatureKey
    /// The base built with the received `@signature-params` text (what conforming signers signed).
    public let base: SignatureBase
    /// The request the bases are built over.
    private let request: SignedRequestComponents

    /// The base with canonically re-serialized `@signature-params`, when that differs from `base`. Built on
    /// access: only a signature that fails over `base` needs it, so the common path never serializes the params.
    public var canonicalBase: SignatureBase? {
        guard let received = input.rawValue, received != input.canonicalValue else { return nil }
        // The same components already built `base`; only the params line differs, and it cannot fail.
        return try? SignatureBase(input: input, request: request, paramsSource: .canonical)
    }

    /// Reads `Signature-Input`, `Signature` and `Signature-Key` from `request`, selects `label` (or the first
    /// `Signature-Input` label present in all three), applies `policy`, and builds the base.
    public init(
        request: SignedRequestComponents, hasBody: Bool, now: Int64, policy: SignaturePolicy = SignaturePolicy(),
        label: String? = nil, limits: StructuredFieldLimits = .default
    ) throws(SignatureError) {
        let inputs = try SignatureInputField(parsing: try Self.field("signature-input", in: request), limits: limits)
        let signatures = try SignatureField(parsing: try Self.field("signature", in: request), limits: limits)
        let keys = try SignatureKeyField(parsing: try Self.field("signature-key", in: request), limits: limits)
        let chosen: String
        if let label {
            chosen = label
        } else {
            // [SK] §Label Correlation: labels correlate by equality across the three fields.
            // Looked up member by member, without building the three label lists or copying members out.
            let members = inputs.dictionary.members
            guard
                let common = members.firstIndex(where: {
                    signatures.dictionary.containsKey($0.key) && keys.dictionary.containsKey($0.key)
                })
            else { throw .noCommonLabel }
            chosen = members[common].key
        }
        let input = try inputs.input(for: chosen)
        let signature = try signatures.signature(for: chosen)
        // Step order of wire notes §1.5: coverage and created before the scheme.
        try policy.check(input, hasBody: hasBody, now: now)
        let key = try keys.key(for: chosen)
        try policy.check(key)
        if let keyID = input.parameters.keyID, case .jwksURI(_, _, let kid) = key.scheme, keyID != kid {
            throw .keyIDMismatch
        }
        let base = try SignatureBase(input: input, request: request, paramsSource: .received)
        self.request = request
        self.label = chosen
        self.input = input
        self.signature = signature
        self.key = key
        self.base = base
    }

    /// All lines of a field joined with ", " (RFC 9110 §5.3); absent is `missingField`.
    static func field(_ name: String, in request: SignedRequestComponents) throws(SignatureError) -> String {
        // One line is the usual case, and joining one line gives that line.
        switch request.fieldLines(name) {
        case .none: throw .missingField(name)
        case .one(let line): return line
        case .several(let lines): return lines.joined(separator: ", ")
        }
    }
}
