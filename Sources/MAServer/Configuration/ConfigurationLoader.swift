import Foundation

/// Builds the effective configuration: defaults ← JSON file ← `MA_*` environment ← flags, then validates.
struct ConfigurationLoader {
    /// Values given on the command line; `nil` means "not given".
    struct Overrides: Equatable, Sendable {
        var listen: String?
        var issuer: String?
        var dataDirectory: String?
        var development: Bool?
        var allowPseudonymousAgents: Bool?
        var logLevel: String?
    }

    /// The environment variables read, each overriding the file's setting of the same meaning.
    static let environmentKeys: [String: String] = [
        "MA_CONFIG": "path of the JSON configuration file",
        "MA_LISTEN": "listen",
        "MA_ISSUER": "issuer",
        "MA_DATA_DIR": "data_dir",
        "MA_DEVELOPMENT": "development (true/false)",
        "MA_ALLOW_PSEUDONYMOUS_AGENTS": "agents.allow_pseudonymous (true/false)",
        "MA_LOG_LEVEL": "log.level",
    ]

    var environment: [String: String]

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    func load(file: String?, overrides: Overrides = Overrides()) throws -> Configuration {
        var configuration = Configuration()
        if let path = file ?? environment["MA_CONFIG"] {
            configuration = try Self.decodeFile(at: path)
        }
        try applyEnvironment(to: &configuration)
        try apply(overrides, to: &configuration)
        try configuration.validate()
        return configuration
    }

    static func decodeFile(at path: String) throws -> Configuration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError.unreadableFile(path: path, reason: error.localizedDescription)
        }
        return try decode(data)
    }

    static func decode(_ data: Data) throws -> Configuration {
        do {
            return try JSONDecoder().decode(Configuration.self, from: data)
        } catch let error as ConfigurationError {
            throw error
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw ConfigurationError.invalidValue(key: context.codingPath.dottedPath, reason: context.debugDescription)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ConfigurationError.invalidValue(
                key: (context.codingPath + [key]).dottedPath, reason: "required member missing")
        } catch let DecodingError.dataCorrupted(context) {
            throw ConfigurationError.malformed(context.debugDescription)
        } catch {
            throw ConfigurationError.malformed(String(describing: error))
        }
    }

    private func applyEnvironment(to configuration: inout Configuration) throws {
        if let value = environment["MA_LISTEN"] {
            configuration.listen = try .init(parsing: value, key: "MA_LISTEN")
        }
        if let value = environment["MA_ISSUER"] { configuration.issuer = value }
        if let value = environment["MA_DATA_DIR"] { configuration.dataDirectory = value }
        if let value = environment["MA_DEVELOPMENT"] {
            configuration.development = try Self.boolean(value, key: "MA_DEVELOPMENT")
        }
        if let value = environment["MA_ALLOW_PSEUDONYMOUS_AGENTS"] {
            configuration.agents.allowPseudonymous = try Self.boolean(value, key: "MA_ALLOW_PSEUDONYMOUS_AGENTS")
        }
        if let value = environment["MA_LOG_LEVEL"] { configuration.log.level = value }
    }

    private func apply(_ overrides: Overrides, to configuration: inout Configuration) throws {
        if let value = overrides.listen { configuration.listen = try .init(parsing: value, key: "--listen") }
        if let value = overrides.issuer { configuration.issuer = value }
        if let value = overrides.dataDirectory { configuration.dataDirectory = value }
        if let value = overrides.development { configuration.development = value }
        if let value = overrides.allowPseudonymousAgents { configuration.agents.allowPseudonymous = value }
        if let value = overrides.logLevel { configuration.log.level = value }
    }

    static func boolean(_ text: String, key: String) throws -> Bool {
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError.invalidValue(key: key, reason: "expected true or false")
        }
    }
}

extension [any CodingKey] {
    /// `agent_providers[0].jwks`: the path of a setting as an operator writes it.
    var dottedPath: String {
        reduce(into: "") { path, key in
            if let index = key.intValue { path += "[\(index)]" }
            else { path += path.isEmpty ? key.stringValue : "." + key.stringValue }
        }
    }
}
