/// One envelope entry: a resource pattern and the scopes allowed on it.
public struct AccessGrant: Hashable, Codable, Sendable {
    public let resource: ResourcePattern
    public let scopes: ScopeSet

    public init(resource: ResourcePattern, scopes: ScopeSet) {
        self.resource = resource
        self.scopes = scopes
    }

    /// Parses `resource` and `scopes` (`["*"]` for any scope).
    public init(resource: String, scopes: [String]) throws(MissionError) {
        self.resource = try ResourcePattern(resource)
        self.scopes = try ScopeSet(scopes)
    }

    /// Whether this entry allows `scope` on `origin`.
    public func allows(_ scope: String, on origin: Origin) -> Bool {
        resource.matches(origin) && scopes.contains(scope)
    }

    var canonicalValue: CanonicalValue {
        .object(["resource": .string(resource.description), "scopes": scopes.canonicalValue])
    }
}
