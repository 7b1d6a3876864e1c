/// Command-line options shared by both benchmark servers.
///
/// `<server> PORT [--idle-timeout SECONDS] [--max-connections N]`
public struct BenchOptions: Sendable, Equatable {
    /// The loopback TCP port to listen on.
    public var port: Int
    /// Keep-alive idle timeout in seconds; nil keeps the server's default.
    public var idleTimeoutSeconds: Int?
    /// Cap on simultaneous connections; nil keeps the server's default.
    public var maxConnections: Int?

    /// Why the command line was rejected.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case missingPort
        case invalidValue(option: String, value: String)
        case missingValue(option: String)
        case unknownOption(String)

        public var description: String {
            let usage = "usage: PORT [--idle-timeout SECONDS] [--max-connections N]"
            switch self {
            case .missingPort: return "missing PORT; \(usage)"
            case .invalidValue(let option, let value): return "invalid value '\(value)' for \(option); \(usage)"
            case .missingValue(let option): return "\(option) needs a value; \(usage)"
            case .unknownOption(let option): return "unknown option \(option); \(usage)"
            }
        }
    }

    /// Parses `arguments` without the program name.
    public static func parse(_ arguments: [String]) throws(ParseError) -> BenchOptions {
        var port: Int?
        var options = BenchOptions(port: 0, idleTimeoutSeconds: nil, maxConnections: nil)
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--idle-timeout", "--max-connections":
                guard let value = rest.popFirst() else { throw .missingValue(option: argument) }
                guard let number = Int(value), number > 0 else {
                    throw .invalidValue(option: argument, value: value)
                }
                if argument == "--idle-timeout" {
                    options.idleTimeoutSeconds = number
                } else {
                    options.maxConnections = number
                }
            default:
                guard port == nil, !argument.hasPrefix("-") else { throw .unknownOption(argument) }
                guard let number = Int(argument), (1...65535).contains(number) else {
                    throw .invalidValue(option: "PORT", value: argument)
                }
                port = number
            }
        }
        guard let port else { throw .missingPort }
        options.port = port
        return options
    }
}
