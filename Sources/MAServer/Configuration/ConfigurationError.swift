/// Why a configuration could not be loaded; each case names the offending setting.
enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case unreadableFile(path: String, reason: String)
    case malformed(String)
    case unknownKey(String)
    case invalidValue(key: String, reason: String)

    var description: String {
        switch self {
        case .unreadableFile(let path, let reason): "cannot read configuration file \(path): \(reason)"
        case .malformed(let reason): "configuration is not valid JSON for this schema: \(reason)"
        case .unknownKey(let key): "unknown configuration key '\(key)'"
        case .invalidValue(let key, let reason): "invalid value for '\(key)': \(reason)"
        }
    }
}
