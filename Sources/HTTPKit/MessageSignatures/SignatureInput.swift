/// One signature's entry in `Signature-Input`: its label, covered components and parameters (RFC 9421 §4.1).
public struct SignatureInput: Hashable, Sendable {
    /// The signature label (the dictionary key).
    public let label: String
    /// The covered components in signed order.
    public let components: [ComponentIdentifier]
    /// The signature parameters in received order.
    public let parameters: SignatureParameters
    /// The member value exactly as received (`("@method" …);created=…`), or `nil` when built in code.
    public let rawValue: String?

    /// Creates an input for signing; a repeated component or `@signature-params` among them is an error.
    public init(label: String, components: [ComponentIdentifier], parameters: SignatureParameters)
        throws(SignatureError)
    {
        try self.init(label: label, components: components, parameters: parameters, rawValue: nil)
    }

    init(label: String, components: [ComponentIdentifier], parameters: SignatureParameters, rawValue: String?)
        throws(SignatureError)
    {
        guard StructuredFieldGrammar.isValidKey(label) else {
            throw .invalidMember(field: "signature-input", key: label)
        }
        // A signature usually covers a handful of components, and comparing pairs is then cheaper than hashing
        // each into a set; a long (possibly hostile) list is checked through a set, so the work stays linear.
        if components.count <= 16 {
            for (index, component) in components.enumerated() where components[..<index].contains(component) {
                throw .repeatedComponent(component.description)
            }
        } else {
            var seen = Set<ComponentIdentifier>()
            for component in components where !seen.insert(component).inserted {
                throw .repeatedComponent(component.description)
            }
        }
        self.label = label
        self.components = components
        self.parameters = parameters
        self.rawValue = rawValue
    }

    /// Reads one parsed `Signature-Input` member.
    init(member: borrowing StructuredField.Dictionary.Member) throws(SignatureError) {
        guard case .innerList(let list) = member.value else {
            throw .invalidMember(field: "signature-input", key: member.key)
        }
        var components: [ComponentIdentifier] = []
        components.reserveCapacity(list.items.count)
        for item in list.items { components.append(try ComponentIdentifier(item: item)) }
        try self.init(
            label: member.key, components: components,
            parameters: try SignatureParameters(validating: list.parameters), rawValue: member.rawValue)
    }

    /// The Inner List this input stands for.
    public var innerList: StructuredField.InnerList {
        StructuredField.InnerList(components.map(\.item), parameters: parameters.parameters)
    }

    /// The canonical RFC 8941 serialization of `innerList` (single spaces, no space after ";").
    public var canonicalValue: String {
        // Identifiers and parameters were validated (keys, strings), so serialization cannot fail.
        (try? StructuredField.serialize(innerList)) ?? ""
    }

    /// Whether `identifier` is covered exactly (same name and parameters).
    public func covers(_ identifier: ComponentIdentifier) -> Bool {
        components.contains(identifier)
    }
}
