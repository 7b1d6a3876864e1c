/// One `resources` item of a proposal: a URL string, or `{"resource": …, "scopes": […]}`.
/// A hint for reviewers and auto-approval, not a limit by itself (DESIGN §3.2).
public struct ProposedResource: Hashable, Codable, Sendable {
    public let resource: ResourcePattern
    /// `nil` when the agent named only the resource.
    public let scopes: ScopeSet?

    public init(resource: ResourcePattern, scopes: ScopeSet? = nil) {
        self.resource = resource
        self.scopes = scopes
    }

    private enum CodingKeys: String, CodingKey { case resource, scopes }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            self.init(resource: try Self.pattern(text, decoder), scopes: nil)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let resource = try Self.pattern(try container.decode(String.self, forKey: .resource), decoder)
        self.init(resource: resource, scopes: try container.decodeIfPresent(ScopeSet.self, forKey: .scopes))
    }

    public func encode(to encoder: any Encoder) throws {
        guard let scopes else {
            var single = encoder.singleValueContainer()
            try single.encode(resource.description)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(resource.description, forKey: .resource)
        try container.encode(scopes, forKey: .scopes)
    }

    private static func pattern(_ text: String, _ decoder: any Decoder) throws -> ResourcePattern {
        do { return try ResourcePattern(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    var canonicalValue: CanonicalValue {
        guard let scopes else { return .string(resource.description) }
        return .object(["resource": .string(resource.description), "scopes": scopes.canonicalValue])
    }
}
