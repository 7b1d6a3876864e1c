/// A parsed `Signature-Key` field: a Dictionary keyed by signature label ([SK] §Signature-Key). Only the
/// selected label's member is interpreted, so unknown schemes on other members never cause a rejection.
public struct SignatureKeyField: Sendable {
    /// The parsed dictionary, in received order.
    public let dictionary: StructuredField.Dictionary

    /// Parses the field value (all lines joined with ", "); repeated labels are refused.
    public init(parsing fieldValue: String, limits: StructuredFieldLimits = .default) throws(SignatureError) {
        do {
            dictionary = try StructuredField.parseDictionary(fieldValue, limits: limits)
        } catch {
            throw .malformedField("signature-key", error)
        }
        if let label = dictionary.repeatedKeys.first { throw .repeatedLabel(label: label, field: "signature-key") }
    }

    /// The labels in received order.
    public var labels: [String] { dictionary.keys }

    /// The typed key for `label`.
    public func key(for label: String) throws(SignatureError) -> SignatureKey {
        guard let index = dictionary.index(of: label) else {
            throw .missingLabel(label: label, field: "signature-key")
        }
        return try SignatureKey(member: dictionary.members[index])
    }

    /// A `Signature-Key` field value for one label, e.g. `sig=jwt;jwt="eyJ…"`.
    public static func jwtFieldValue(label: String, token: String) throws(StructuredFieldError) -> String {
        let item = StructuredField.Item(.token("jwt"), parameters: ["jwt": .string(token)])
        return try StructuredField.serialize(StructuredField.Dictionary([.init(key: label, value: .item(item))]))
    }
}
