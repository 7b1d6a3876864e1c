import MissionCore

/// A request body read strictly as one JSON object: duplicate members, trailing bytes, deep
/// nesting (MissionCore's parser), members outside `allowed` and wrongly typed values are all
/// `RouteError.invalidRequest` naming the member.
struct JSONBody: Sendable {
    /// The members as received.
    let members: [String: WireJSON]

    /// Parses `body`; an empty body is refused.
    init(_ body: [UInt8], allowed: Set<String>) throws(RouteError) {
        guard !body.isEmpty else { throw .invalidRequest("a JSON object body is required") }
        let value: WireJSON
        do { value = try WireJSON.parse(body, maxDepth: 16) } catch {
            throw .invalidRequest("the body is not valid JSON: \(error)")
        }
        guard let members = value.objectValue else { throw .invalidRequest("the body must be a JSON object") }
        self.members = members
        if let unknown = firstMember(outside: allowed) { throw .invalidRequest("unknown member \"\(unknown)\"") }
    }

    /// The first member name, in sorted order, that `names` does not hold; nil when all are in it.
    /// Sorted only to name the same member every time: a body without strays is not sorted at all.
    func firstMember(outside names: Set<String>) -> String? {
        guard !members.keys.allSatisfy(names.contains) else { return nil }
        return members.keys.sorted().first { !names.contains($0) }
    }

    /// Whether `name` is present (even as `null`).
    func has(_ name: String) -> Bool { members[name] != nil }

    /// A required string member.
    func string(_ name: String) throws(RouteError) -> String {
        guard let value = try optionalString(name) else { throw .invalidRequest("\(name): required") }
        return value
    }

    /// An optional string member (absent or `null` → `nil`).
    func optionalString(_ name: String) throws(RouteError) -> String? {
        guard let value = members[name], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw .invalidRequest("\(name): must be a string") }
        return text
    }

    /// An optional integer member.
    func optionalInt(_ name: String) throws(RouteError) -> Int? {
        guard let value = members[name], !value.isNull else { return nil }
        guard case .integer(let number) = value, let exact = Int(exactly: number) else {
            throw .invalidRequest("\(name): must be an integer")
        }
        return exact
    }

    /// An optional array of strings.
    func optionalStrings(_ name: String) throws(RouteError) -> [String]? {
        guard let value = members[name], !value.isNull else { return nil }
        guard let items = value.arrayValue else { throw .invalidRequest("\(name): must be an array of strings") }
        var strings: [String] = []
        for item in items {
            guard let text = item.stringValue else { throw .invalidRequest("\(name): must be an array of strings") }
            strings.append(text)
        }
        return strings
    }

    /// An optional array of `{"resource": "...", "scopes": ["..."]}` entries (an access envelope's
    /// shape, DESIGN §3.3); MissionCore validates origins and scopes.
    func optionalGrants(_ name: String) throws(RouteError) -> [AccessGrant]? {
        guard let value = members[name], !value.isNull else { return nil }
        guard let items = value.arrayValue else { throw .invalidRequest("\(name): must be an array") }
        var grants: [AccessGrant] = []
        for (index, item) in items.enumerated() {
            let path = "\(name)[\(index)]"
            guard let object = item.objectValue, Set(object.keys).isSubset(of: ["resource", "scopes"]) else {
                throw .invalidRequest("\(path): must be an object with resource and scopes")
            }
            guard let resource = object["resource"]?.stringValue else {
                throw .invalidRequest("\(path).resource: required string")
            }
            guard let scopeValues = object["scopes"]?.arrayValue else {
                throw .invalidRequest("\(path).scopes: required array")
            }
            var scopes: [String] = []
            for scope in scopeValues {
                guard let text = scope.stringValue else { throw .invalidRequest("\(path).scopes: strings only") }
                scopes.append(text)
            }
            let grant: AccessGrant
            do { grant = try AccessGrant(resource: resource, scopes: scopes) } catch {
                guard case .invalidRequest(let detail) = ErrorMapping.requestError(error) else {
                    throw .invalidRequest(path)
                }
                throw .invalidRequest("\(path): \(detail)")
            }
            grants.append(grant)
        }
        return grants
    }

    /// Refuses an `action` other than those listed (wire notes §3.5: missing or unknown is 400).
    func action(oneOf actions: Set<String>) throws(RouteError) -> String {
        guard let action = try optionalString("action") else { throw .invalidRequest("action: required") }
        guard actions.contains(action) else {
            throw .invalidRequest("action: one of " + actions.sorted().joined(separator: ", "))
        }
        return action
    }
}
