/// Response fields that explain a signature failure ([SK] §Signature-Error, §Accept-Signature-*).
public enum SignatureErrorField {
    /// `Signature-Error`, e.g. `error=invalid_input, required_input=("@method" "@authority")`.
    public static func fieldValue(code: SignatureErrorCode, requiredInput: [String]? = nil)
        throws(StructuredFieldError) -> String
    {
        var dictionary = StructuredField.Dictionary()
        dictionary["error"] = .item(StructuredField.Item(.token(code.rawValue)))
        if let requiredInput {
            let items = requiredInput.map { StructuredField.Item(.string($0)) }
            dictionary["required_input"] = .innerList(StructuredField.InnerList(items))
        }
        return try StructuredField.serialize(dictionary)
    }

    /// `Signature-Error` for `error`, with `required_input` when it is `invalid_input`.
    public static func fieldValue(for error: SignatureError) -> String {
        // Codes are tokens and required inputs validated identifiers, so this cannot fail; fall back to the code.
        (try? fieldValue(code: error.code, requiredInput: error.requiredInput)) ?? "error=" + error.code.rawValue
    }

    /// The response fields for a 401 caused by `error`: `Signature-Error`, plus `Accept-Signature-Scheme` for
    /// `unsupported_scheme` (wire notes §1.5 step 4). Names are in canonical case.
    public static func responseFields(for error: SignatureError) -> [(name: String, value: String)] {
        var fields = [(name: "Signature-Error", value: fieldValue(for: error))]
        if case .unsupportedScheme(_, let accepted) = error, !accepted.isEmpty,
            let value = try? acceptSchemeFieldValue(accepted)
        {
            fields.append((name: "Accept-Signature-Scheme", value: value))
        }
        return fields
    }

    /// `Accept-Signature-Scheme`: a List of Tokens in preference order, e.g. `jwt, hwk`.
    public static func acceptSchemeFieldValue(_ schemes: [String]) throws(StructuredFieldError) -> String {
        try StructuredField.serialize(schemes.map { .item(StructuredField.Item(.token($0))) })
    }

    /// `Accept-Signature-Alg`: a List of Tokens, exactly the accepted set, e.g. `Ed25519, ES256`.
    public static func acceptAlgorithmFieldValue(_ algorithms: [String]) throws(StructuredFieldError) -> String {
        try StructuredField.serialize(algorithms.map { .item(StructuredField.Item(.token($0))) })
    }
}
