import ArgumentParser
import Foundation
import MissionCore

/// `maserver keys rotate|list`: the MA's token-signing keys.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Rotate and list the token-signing keys.",
        subcommands: [Rotate.self, List.self])

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a fresh signing key current; the old one stays published until its tokens expire.",
            discussion: """
                A running server keeps signing with the key it loaded at start: restart it (SIGTERM drains \
                gracefully) right after rotating, so that it loads and publishes the new key.
                """)

        @OptionGroup var data: DataDirectoryOptions

        @Option(help: "Ed25519 or ES256 (default: signing.algorithm of the configuration, Ed25519).")
        var algorithm: String?

        func validate() throws {
            if let algorithm, JWSAlgorithm(rawValue: algorithm) == nil {
                throw ValidationError("unknown algorithm '\(algorithm)'; one of Ed25519, ES256")
            }
        }

        func run() async throws {
            try await execute().emit()
        }

        func execute(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> CommandOutput
        {
            let authority = try await data.openAuthority(
                creating: false, signingAlgorithm: algorithm.flatMap(JWSAlgorithm.init(rawValue:)),
                environment: environment)
            defer { authority.close() }
            let previous = authority.currentSigningKeyID
            let kid: String
            do { kid = try await authority.rotateSigningKey(by: .system) } catch { throw CLIError.authority(error) }
            var output = CommandOutput()
            output.print("current signing key: \(kid) (\(authority.settings.signingAlgorithm.rawValue))")
            output.print("retired: \(previous), published for \(authority.settings.maxTokenLifetime) s more")
            output.note("restart a running server now so that it signs with the new key")
            return output
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the published signing keys (the JWKS), newest first.")

        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            try await execute().emit()
        }

        func execute(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> CommandOutput
        {
            let authority = try await data.openAuthority(creating: false, environment: environment)
            defer { authority.close() }
            let current = authority.currentSigningKeyID
            var table = TextTable("KID", "ALG", "STATUS")
            for key in authority.jwks().keys {
                let kid = key.keyID ?? key.thumbprint()
                table.add(
                    kid, key.publicKey.algorithm.rawValue, kid == current ? "current" : "retired, still published")
            }
            var output = CommandOutput()
            output.lines = table.lines
            return output
        }
    }
}
