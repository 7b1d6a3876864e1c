/// A tool named in a current-draft proposal (`{name, description}`): a record of what was
/// agreed, not enforced ([M] §Mission Proposal).
public struct ProposedTool: Hashable, Codable, Sendable {
    public let name: String
    public let description: String

    public init(name: String, description: String) {
        self.name = name
        self.description = description
    }

    var canonicalValue: CanonicalValue {
        .object(["name": .string(name), "description": .string(description)])
    }
}
