import ArgumentParser
import Foundation
import MissionCore

/// The options of the commands that open the data folder directly (`admin-key`, `keys`, `audit`). They work while
/// the server runs: the database is in WAL mode and every connection waits on a busy timeout, so a second process
/// reads without blocking and its writes queue behind the server's.
struct DataDirectoryOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "Folder holding ma.sqlite and keys/ (default: data_dir of the configuration, $MA_DATA_DIR, ./ma-data).",
            valueName: "DIR"))
    var dataDirectory: String?

    @Option(
        help: ArgumentHelp(
            "JSON configuration file; its data_dir, signing and tokens settings apply (default: $MA_CONFIG).",
            valueName: "FILE"))
    var config: String?

    /// The effective configuration. Offline commands never serve, so the issuer's production rules do not apply:
    /// development mode is forced, which relaxes only the issuer checks, so a data folder can be managed without
    /// repeating the server's issuer.
    func configuration(environment: [String: String]) throws -> Configuration {
        let overrides = ConfigurationLoader.Overrides(dataDirectory: dataDirectory, development: true)
        do {
            return try ConfigurationLoader(environment: environment).load(file: config, overrides: overrides)
        } catch let error as ConfigurationError {
            throw CLIError.configuration(error.description)
        }
    }

    /// Opens the MissionAuthority over the data folder. Only `creating` commands may create a missing folder and
    /// database (with a first signing key, as the server does on its first start); the others refuse, so a typo in
    /// `--data-dir` never leaves an empty database behind.
    func openAuthority(
        creating: Bool, signingAlgorithm: JWSAlgorithm? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> MissionAuthority {
        let configuration = try configuration(environment: environment)
        let folder = configuration.dataDirectory
        let databasePath = folder + "/ma.sqlite"
        if !FileManager.default.fileExists(atPath: databasePath) {
            guard creating else { throw CLIError.noDatabase(dataDirectory: folder) }
            do {
                // 0700: the folder holds the signing keys' private halves.
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw CLIError.unwritableFile(path: folder, reason: error.localizedDescription)
            }
        }
        var settings: MissionAuthority.Settings
        do { settings = try Application.settings(from: configuration) } catch {
            throw CLIError.configuration("\(error)")
        }
        if let signingAlgorithm { settings.signingAlgorithm = signingAlgorithm }
        do {
            return try await MissionAuthority.open(dataDirectory: folder, settings: settings)
        } catch let error as AuthorityError {
            throw CLIError.authority(error)
        } catch {
            throw CLIError.configuration("cannot open the data folder \(folder): \(error)")
        }
    }
}
