/// A parsed `Signature` field: a Dictionary of labels to Byte Sequences (RFC 9421 §4.2).
///
/// Liberal on purpose: the byte sequence may be standard base64 (RFC 8941) or base64url, padded or not, because
/// the Python `aauth-signing` client writes unpadded base64url. A value may not mix the two alphabets.
public struct SignatureField: Sendable {
    /// The parsed dictionary, in received order.
    public let dictionary: StructuredField.Dictionary

    /// Parses the field value (all lines joined with ", "); repeated labels are refused.
    public init(parsing fieldValue: String, limits: StructuredFieldLimits = .default) throws(SignatureError) {
        var liberal = limits
        liberal.allowsBase64URLByteSequences = true
        do {
            dictionary = try StructuredField.parseDictionary(fieldValue, limits: liberal)
        } catch {
            throw .malformedField("signature", error)
        }
        if let label = dictionary.repeatedKeys.first { throw .repeatedLabel(label: label, field: "signature") }
    }

    /// The labels in received order.
    public var labels: [String] { dictionary.keys }

    /// The signature bytes for `label`; parameters on the member are ignored.
    public func signature(for label: String) throws(SignatureError) -> [UInt8] {
        guard let index = dictionary.index(of: label) else { throw .missingLabel(label: label, field: "signature") }
        guard case .item(let item) = dictionary.members[index].value, case .byteSequence(let bytes) = item.bareItem,
            !bytes.isEmpty
        else {
            throw .invalidMember(field: "signature", key: label)
        }
        return bytes
    }

    /// Serializes `label=:<base64>:` pairs as a `Signature` field value (standard padded base64).
    public static func fieldValue(_ signatures: [(label: String, signature: [UInt8])]) -> String {
        signatures.map { $0.label + "=:" + ByteSequenceCoding.encode($0.signature) + ":" }.joined(separator: ", ")
    }
}
