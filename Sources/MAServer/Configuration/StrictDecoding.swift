/// A coding key that accepts any name, used to list the keys a JSON object really has.
struct AnyCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int? = nil
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

extension Decoder {
    /// Refuses members the configuration does not know: a misspelt key must be an error at start-up,
    /// not a setting silently left at its default.
    func rejectUnknownKeys(allowed: Set<String>) throws {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        let unknown = container.allKeys.map(\.stringValue).filter { !allowed.contains($0) }.sorted()
        if let first = unknown.first {
            throw ConfigurationError.unknownKey((codingPath + [AnyCodingKey(stringValue: first)]).dottedPath)
        }
    }
}
