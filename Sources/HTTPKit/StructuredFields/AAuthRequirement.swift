/// The AAuth `AAuth-Requirement` response field: a Dictionary whose `requirement` member is a Token, with the
/// requirement's data as parameters (wire notes §3.4), e.g. `requirement=interaction;url="…";code="…"`.
public struct AAuthRequirement: Equatable, Sendable {
    /// The requirement value (`approval`, `interaction`, `clarification`, `claims`, `agent-token`, …).
    public let requirement: String
    /// Parameters carried on the `requirement` member.
    public let parameters: StructuredField.Parameters

    /// Creates a requirement with its parameters.
    public init(_ requirement: String, parameters: StructuredField.Parameters = .init()) {
        self.requirement = requirement
        self.parameters = parameters
    }

    /// `requirement=approval`: a human or admin decides out of band.
    public static let approval = AAuthRequirement("approval")

    /// `requirement=interaction;url="…";code="…"`.
    public static func interaction(url: String, code: String) -> AAuthRequirement {
        AAuthRequirement("interaction", parameters: ["url": .string(url), "code": .string(code)])
    }

    /// `requirement=clarification`.
    public static let clarification = AAuthRequirement("clarification")

    /// Parses the field value; unknown members and parameters are kept or ignored, a missing or non-Token
    /// `requirement` is an error.
    public init(parsing fieldValue: String) throws(StructuredFieldError) {
        let dictionary = try StructuredField.parseDictionary(fieldValue)
        guard case .item(let item) = dictionary["requirement"], case .token(let value) = item.bareItem else {
            throw .missingMember("requirement")
        }
        self.init(value, parameters: item.parameters)
    }

    /// The serialized field value.
    public func fieldValue() throws(StructuredFieldError) -> String {
        let item = StructuredField.Item(.token(requirement), parameters: parameters)
        return try StructuredField.serialize(
            StructuredField.Dictionary([.init(key: "requirement", value: .item(item))]))
    }
}
