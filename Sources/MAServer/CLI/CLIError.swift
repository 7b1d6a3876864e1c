import MissionCore

/// Why a `maserver` command failed; ArgumentParser prints the description as one line and exits 1.
enum CLIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data folder holds no database yet, for a command that only reads or changes existing data.
    case noDatabase(dataDirectory: String)
    /// A file could not be read.
    case unreadableFile(path: String, reason: String)
    /// A file could not be written (or already exists where the command refuses to overwrite).
    case unwritableFile(path: String, reason: String)
    /// A private key file is not an Ed25519 PKCS#8 PEM.
    case invalidKeyFile(path: String, reason: String)
    /// A URL the command was given is not one it can use.
    case invalidURL(String, reason: String)
    /// An argument's value is malformed beyond what the parser checks.
    case invalidArgument(String)
    /// The server could not be reached or answered something that is not HTTP.
    case transport(String)
    /// MissionCore refused or failed the operation.
    case authority(AuthorityError)
    /// The configuration (file, `MA_*` variables, flags) is invalid.
    case configuration(String)

    var description: String {
        switch self {
        case .noDatabase(let folder):
            "no database in \(folder) (start the server once, or run 'maserver admin-key create', to create it)"
        case .unreadableFile(let path, let reason): "cannot read \(path): \(reason)"
        case .unwritableFile(let path, let reason): "cannot write \(path): \(reason)"
        case .invalidKeyFile(let path, let reason): "\(path) is not an Ed25519 private key in PEM: \(reason)"
        case .invalidURL(let url, let reason): "unusable URL '\(url)': \(reason)"
        case .invalidArgument(let reason): reason
        case .transport(let reason): "request failed: \(reason)"
        case .authority(let error): Self.describe(error)
        case .configuration(let reason): reason
        }
    }

    /// An operator's reading of a facade refusal.
    private static func describe(_ error: AuthorityError) -> String {
        switch error {
        case .notFound: "not found"
        case .forbidden: "not allowed"
        case .invalidRequest(let detail): "invalid request: \(detail)"
        case .conflict(let detail): "conflict: \(detail)"
        case .auditUnavailable: "the change could not be recorded durably with its audit event, so it was not made"
        case .corruptRecord(let detail): "stored data failed an integrity check: \(detail)"
        default: "refused: \(error)"
        }
    }
}
