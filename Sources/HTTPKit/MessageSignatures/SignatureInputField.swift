/// A parsed `Signature-Input` field: a Dictionary of labels; members are validated when selected, so another
/// party's signature with components this code does not know never fails ours.
public struct SignatureInputField: Sendable {
    /// The parsed dictionary, in received order.
    public let dictionary: StructuredField.Dictionary

    /// Parses the field value (all lines joined with ", "); repeated labels are refused.
    public init(parsing fieldValue: String, limits: StructuredFieldLimits = .default) throws(SignatureError) {
        do {
            dictionary = try StructuredField.parseDictionary(fieldValue, limits: limits)
        } catch {
            throw .malformedField("signature-input", error)
        }
        if let label = dictionary.repeatedKeys.first { throw .repeatedLabel(label: label, field: "signature-input") }
    }

    /// The labels in received order.
    public var labels: [String] { dictionary.keys }

    /// The validated input for `label`.
    public func input(for label: String) throws(SignatureError) -> SignatureInput {
        guard let index = dictionary.index(of: label) else {
            throw .missingLabel(label: label, field: "signature-input")
        }
        return try SignatureInput(member: dictionary.members[index])
    }

    /// Serializes inputs as a `Signature-Input` field value, each in canonical form.
    public static func fieldValue(_ inputs: [SignatureInput]) -> String {
        inputs.map { $0.label + "=" + $0.canonicalValue }.joined(separator: ", ")
    }
}
