import ArgumentParser
import Foundation
import MissionCore

/// `maserver backup --out DIR`: a consistent copy of the data folder, taken while the server runs, then checked.
///
/// The database is copied with `VACUUM INTO` (one read transaction: a consistent snapshot, while the server keeps
/// writing); the signing keys are copied after it, so every key the snapshot names already has its file (a key's
/// file is written before its row). The copy is then opened like a data folder and its audit chain verified.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database and signing keys into a new folder while the server runs, then verify the copy.")

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: ArgumentHelp("The new folder (must not exist); it becomes a complete data folder.", valueName: "DIR"))
    var out: String

    func run() async throws {
        try await execute().emit()
    }

    func execute(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> CommandOutput {
        let source = try data.configuration(environment: environment).dataDirectory
        let database = source + "/ma.sqlite"
        guard FileManager.default.fileExists(atPath: database) else { throw CLIError.noDatabase(dataDirectory: source) }
        let files = FileManager.default
        guard !files.fileExists(atPath: out) else {
            throw CLIError.unwritableFile(path: out, reason: "already exists; a backup never overwrites")
        }
        do {
            try files.createDirectory(
                atPath: out + "/keys", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: out)
        } catch {
            throw CLIError.unwritableFile(path: out, reason: error.localizedDescription)
        }
        do {
            let connection = try SQLiteConnection(path: database, mode: .readWrite)
            // "VACUUM INTO … the original database is unchanged, a new database is created in the named file":
            // a transactionally consistent copy, readers and the server's writer carry on meanwhile.
            try connection.run("VACUUM INTO ?", [.text(out + "/ma.sqlite")])
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: out + "/ma.sqlite")
        } catch {
            throw CLIError.unwritableFile(path: out + "/ma.sqlite", reason: "\(error)")
        }
        var copiedKeys = 0
        do {
            for name in try files.contentsOfDirectory(atPath: source + "/keys").sorted() where name.hasSuffix(".pem") {
                try files.copyItem(atPath: source + "/keys/" + name, toPath: out + "/keys/" + name)
                try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: out + "/keys/" + name)
                copiedKeys += 1
            }
        } catch {
            throw CLIError.unwritableFile(path: out + "/keys", reason: error.localizedDescription)
        }

        // The copy must open as a data folder (its signing key matches its record) and its chain must hold.
        var copy = data
        copy.dataDirectory = out
        let authority = try await copy.openAuthority(creating: false, environment: environment)
        defer { authority.close() }
        let verification: AuditVerification
        let head: AuditCheckpoint
        do {
            head = try authority.auditHead()
            verification = try await authority.verifyAuditChain()
        } catch {
            throw CLIError.authority(error)
        }
        var output = CommandOutput()
        switch verification {
        case .ok(let count):
            output.print("backup ok: \(out) (\(count) audit events, \(copiedKeys) signing keys)")
            output.print("head: \(AuditCommand.Verify.text(head))")
        case .broken(let sequence, let reason):
            output.print(
                "backup written to \(out), but its audit chain is broken: event \(sequence): \(reason.rawValue)")
            output.exitCode = 1
        }
        return output
    }
}
