import Foundation
import MissionCore
import Testing

@testable import MAServer

/// `admin-key`, `keys` and `audit` on a real data folder in a temporary directory.
@Suite struct CLIOfflineCommandTests {
    private func run<C>(_ arguments: [String], as type: C.Type, in folder: String) async throws -> CommandOutput {
        let command: Any = try CLITestSupport.parse(arguments + ["--data-dir", folder + "/data"], as: type)
        switch command {
        case let command as AdminKeyCommand.Create: return try await command.execute(environment: [:])
        case let command as AdminKeyCommand.List: return try await command.execute(environment: [:])
        case let command as AdminKeyCommand.Revoke: return try await command.execute(environment: [:])
        case let command as KeysCommand.Rotate: return try await command.execute(environment: [:])
        case let command as KeysCommand.List: return try await command.execute(environment: [:])
        case let command as AuditCommand.Verify: return try await command.execute(environment: [:])
        case let command as BackupCommand: return try await command.execute(environment: [:])
        default: throw CLIError.invalidArgument("not an offline command: \(arguments)")
        }
    }

    /// The facade over the same folder, to check what the commands did.
    private func openAuthority(_ folder: String) async throws -> MissionAuthority {
        try await MissionAuthority.open(
            dataDirectory: folder + "/data", settings: .init(issuer: "http://127.0.0.1:8080"))
    }

    @Test func adminKeyLifecycle() async throws {
        try await CLITestSupport.withTemporaryDirectory { folder in
            let created = try await run(
                ["admin-key", "create", "--role", "reviewer", "--name", "Grace"], as: AdminKeyCommand.Create.self,
                in: folder)
            #expect(created.lines.count == 1)
            let secret = try #require(created.lines.last)
            #expect(secret.hasPrefix("ma_"))
            #expect(created.notes.first?.contains("reviewer") == true)

            let authority = try await openAuthority(folder)
            let principal = try #require(try authority.authenticateAdmin(secret: secret))
            #expect(principal.role == .reviewer)
            authority.close()

            let listed = try await run(["admin-key", "list"], as: AdminKeyCommand.List.self, in: folder)
            #expect(listed.lines.count == 2)
            #expect(listed.lines[0].hasPrefix("ID"))
            #expect(listed.lines[1].hasPrefix(principal.keyID))
            #expect(listed.lines[1].contains("Grace"))
            #expect(listed.lines[1].hasSuffix("-"))
            #expect(!listed.lines.joined().contains(secret))

            let revoked = try await run(
                ["admin-key", "revoke", principal.keyID], as: AdminKeyCommand.Revoke.self, in: folder)
            #expect(revoked.lines == ["revoked \(principal.keyID)"])
            let json = try await run(["admin-key", "list", "--json"], as: AdminKeyCommand.List.self, in: folder)
            let record = try #require(
                try JSONSerialization.jsonObject(with: Data(json.lines[0].utf8)) as? [String: Any])
            #expect(record["id"] as? String == principal.keyID)
            #expect(record["revoked_at"] is String)
            #expect(record["role"] as? String == "reviewer")

            let reopened = try await openAuthority(folder)
            #expect(try reopened.authenticateAdmin(secret: secret) == nil)
            reopened.close()
            await #expect(throws: CLIError.invalidArgument("no active admin key with id '\(principal.keyID)'")) {
                try await run(["admin-key", "revoke", principal.keyID], as: AdminKeyCommand.Revoke.self, in: folder)
            }
        }
    }

    @Test func readingCommandsNeedAnExistingDatabase() async throws {
        await CLITestSupport.withTemporaryDirectory { folder in
            await #expect(throws: CLIError.noDatabase(dataDirectory: folder + "/data")) {
                try await run(["admin-key", "list"], as: AdminKeyCommand.List.self, in: folder)
            }
            await #expect(throws: CLIError.noDatabase(dataDirectory: folder + "/data")) {
                try await run(["audit", "verify"], as: AuditCommand.Verify.self, in: folder)
            }
            #expect(!FileManager.default.fileExists(atPath: folder + "/data"))
        }
    }

    @Test func auditVerifyNamesTheFirstTamperedEvent() async throws {
        try await CLITestSupport.withTemporaryDirectory { folder in
            for name in ["one", "two", "three"] {
                _ = try await run(
                    ["admin-key", "create", "--role", "auditor", "--name", name], as: AdminKeyCommand.Create.self,
                    in: folder)
            }
            let verified = try await run(["audit", "verify"], as: AuditCommand.Verify.self, in: folder)
            #expect(verified.exitCode == 0)
            #expect(verified.lines.first == "ok: 3 events")
            let head = try #require(verified.lines.last?.split(separator: " ").last.map(String.init))
            #expect(head.hasPrefix("3:"))

            // An edit behind the MA's back, as someone with the database file could make it.
            let connection = try SQLiteConnection(path: folder + "/data/ma.sqlite", mode: .readWrite)
            try connection.run("UPDATE audit_events SET decision = 'approved' WHERE seq = 2")
            let broken = try await run(["audit", "verify"], as: AuditCommand.Verify.self, in: folder)
            #expect(broken.exitCode == 1)
            #expect(broken.lines == ["broken: event 2: content does not match its hash"])

            // Removing the newest event leaves a valid chain, which only the recorded head exposes.
            try connection.run("UPDATE audit_events SET decision = 'created' WHERE seq = 2")
            try connection.run("DELETE FROM audit_events WHERE seq = 3")
            let shortened = try await run(["audit", "verify"], as: AuditCommand.Verify.self, in: folder)
            #expect(shortened.lines.first == "ok: 2 events")
            let truncated = try await run(
                ["audit", "verify", "--expect-head", head], as: AuditCommand.Verify.self, in: folder)
            #expect(truncated.exitCode == 1)
            #expect(truncated.lines.first?.hasPrefix("broken: event") == true)
            #expect(truncated.lines.first?.hasSuffix(AuditVerification.BreakReason.truncated.rawValue) == true)
        }
    }

    @Test func auditExportWritesJSONLinesAfterASequence() async throws {
        try await CLITestSupport.withTemporaryDirectory { folder in
            for name in ["one", "two", "three"] {
                _ = try await run(
                    ["admin-key", "create", "--role", "events", "--name", name], as: AdminKeyCommand.Create.self,
                    in: folder)
            }
            let path = folder + "/trail.jsonl"
            let export = try CLITestSupport.parse(
                ["audit", "export", "--data-dir", folder + "/data", "--after", "1", "--output", path],
                as: AuditCommand.Export.self)
            let count = try await export.execute(to: try ExportSink(creating: path), environment: [:])
            #expect(count == 2)
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 2)
            let sequences = try lines.map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["sequence"]
                    as? Int
            }
            #expect(sequences == [2, 3])
            #expect(lines[0].contains(#""action":"admin.key_created""#))
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect(throws: CLIError.self) { try ExportSink(creating: path) }
        }
    }

    @Test func keysRotateKeepsTheRetiredKeyPublished() async throws {
        try await CLITestSupport.withTemporaryDirectory { folder in
            _ = try await run(
                ["admin-key", "create", "--role", "admin", "--name", "ops"], as: AdminKeyCommand.Create.self, in: folder
            )
            let before = try await run(["keys", "list"], as: KeysCommand.List.self, in: folder)
            #expect(before.lines.count == 2)
            let first = try #require(before.lines[1].split(separator: " ").first.map(String.init))
            #expect(before.lines[1].contains("Ed25519"))
            #expect(before.lines[1].hasSuffix("current"))

            let rotated = try await run(
                ["keys", "rotate", "--algorithm", "ES256"], as: KeysCommand.Rotate.self, in: folder)
            #expect(rotated.lines.first?.hasSuffix("(ES256)") == true)
            #expect(rotated.lines.last?.hasPrefix("retired: \(first)") == true)

            let after = try await run(["keys", "list"], as: KeysCommand.List.self, in: folder)
            #expect(after.lines.count == 3)
            #expect(after.lines[1].contains("ES256") && after.lines[1].hasSuffix("current"))
            #expect(after.lines[2].hasPrefix(first) && after.lines[2].hasSuffix("retired, still published"))
            let verified = try await run(["audit", "verify"], as: AuditCommand.Verify.self, in: folder)
            #expect(verified.lines.first == "ok: 2 events")
        }
    }

    @Test func backupIsACompleteVerifiedDataFolder() async throws {
        try await CLITestSupport.withTemporaryDirectory { folder in
            let created = try await run(
                ["admin-key", "create", "--role", "admin", "--name", "ops"], as: AdminKeyCommand.Create.self, in: folder
            )
            _ = try await run(["keys", "rotate"], as: KeysCommand.Rotate.self, in: folder)
            let copy = folder + "/copy"
            let backup = try await run(["backup", "--out", copy], as: BackupCommand.self, in: folder)
            #expect(backup.exitCode == 0)
            #expect(backup.lines.first == "backup ok: \(copy) (2 audit events, 2 signing keys)")
            let attributes = try FileManager.default.attributesOfItem(atPath: copy + "/ma.sqlite")
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

            // The copy is a data folder of its own: the admin key works there, the chain verifies.
            let restored = try await MissionAuthority.open(
                dataDirectory: copy, settings: .init(issuer: "http://127.0.0.1:8080"))
            #expect(try restored.authenticateAdmin(secret: try #require(created.lines.last)) != nil)
            restored.close()
            let listed = try await CLITestSupport.parse(
                ["keys", "list", "--data-dir", copy], as: KeysCommand.List.self
            )
            .execute(environment: [:])
            #expect(listed.lines.count == 3)

            await #expect(throws: CLIError.self) {
                try await run(["backup", "--out", copy], as: BackupCommand.self, in: folder)
            }
        }
    }
}
