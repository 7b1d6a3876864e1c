import ArgumentParser
import Foundation
import MissionCore

#if canImport(Glibc)
    import Glibc
#endif

/// `maserver audit verify|export`: the hash-chained audit trail, read directly from the database.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify the audit trail's hash chain, or export it as JSON Lines.",
        subcommands: [Verify.self, Export.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain: exit 0 and 'ok: N events', or exit 1 naming the first broken link.",
            discussion: """
                The second line of a successful run is the head, SEQ:HASH. Keep it somewhere the database's \
                owner cannot edit; a later 'audit verify --expect-head SEQ:HASH' then also detects removed \
                newest events and a rewritten trail.
                """)

        @OptionGroup var data: DataDirectoryOptions

        @Option(
            name: .customLong("expect-head"),
            help: ArgumentHelp("A head printed by an earlier run, SEQ:HASH.", valueName: "SEQ:HASH"),
            transform: Verify.checkpoint)
        var expectedHead: AuditCheckpoint?

        /// Reads `SEQ:HASH`: a positive sequence and a base64url SHA-256.
        static func checkpoint(_ text: String) throws -> AuditCheckpoint {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let sequence = Int64(parts[0]), sequence >= 0,
                let hash = Base64URL.decode(String(parts[1])), hash.count == SHA256.byteCount
            else { throw ValidationError("--expect-head: expected SEQ:HASH as printed by 'audit verify'") }
            return AuditCheckpoint(sequence: sequence, hash: hash)
        }

        /// `SEQ:HASH` for a checkpoint.
        static func text(_ checkpoint: AuditCheckpoint) -> String {
            "\(checkpoint.sequence):\(Base64URL.encode(checkpoint.hash))"
        }

        func run() async throws {
            try await execute().emit()
        }

        func execute(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> CommandOutput
        {
            let authority = try await data.openAuthority(creating: false, environment: environment)
            defer { authority.close() }
            let head: AuditCheckpoint
            let verification: AuditVerification
            do {
                // The head is read first: the server may append while we verify, and the chain checked always
                // reaches at least this far.
                head = try authority.auditHead()
                verification = try await authority.verifyAuditChain(expectedHead: expectedHead)
            } catch {
                throw CLIError.authority(error)
            }
            var output = CommandOutput()
            switch verification {
            case .ok(let count):
                output.print("ok: \(count) events")
                output.print("head: \(Self.text(head))")
            case .broken(let sequence, let reason):
                output.print("broken: event \(sequence): \(reason.rawValue)")
                output.exitCode = 1
            }
            return output
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the audit trail as JSON Lines, oldest first (one canonical JSON object per event).")

        @OptionGroup var data: DataDirectoryOptions

        @Option(help: ArgumentHelp("Only events with a sequence number above SEQ.", valueName: "SEQ"))
        var after: Int64 = 0

        @Option(
            help: ArgumentHelp("Write to FILE (created 0600, never overwritten) instead of stdout.", valueName: "FILE"))
        var output: String?

        func validate() throws {
            guard after >= 0 else { throw ValidationError("--after must be 0 or more") }
        }

        func run() async throws {
            let sink: ExportSink
            if let output {
                sink = try ExportSink(creating: output)
            } else {
                sink = ExportSink(descriptor: STDOUT_FILENO)
            }
            let count: Int
            do {
                count = try await execute(to: sink)
            } catch {
                // A failed export leaves no partial file that could pass for a complete one.
                if let output { unlink(output) }
                throw error
            }
            if let output {
                FileHandle.standardError.write(Data("exported \(count) events to \(output)\n".utf8))
            }
        }

        /// Streams the trail into `sink` (closing it) and returns the number of events written.
        func execute(
            to sink: ExportSink, environment: [String: String] = ProcessInfo.processInfo.environment
        ) async throws -> Int {
            defer { sink.close() }
            let authority = try await data.openAuthority(creating: false, environment: environment)
            defer { authority.close() }
            let after = self.after
            let written = Locked(0)
            let sinkFailure = Locked<CLIError?>(nil)
            do {
                try await authority.exportAudit { batch in
                    var kept: [UInt8] = []
                    var count = 0
                    for line in batch.split(separator: UInt8(ascii: "\n")) where Self.sequence(of: line) > after {
                        kept += line
                        kept.append(UInt8(ascii: "\n"))
                        count += 1
                    }
                    do {
                        try sink.write(kept)
                    } catch let error as CLIError {
                        sinkFailure.withLock { $0 = error }
                        throw error
                    }
                    written.withLock { $0 += count }
                }
            } catch {
                // The facade reports any failure of the callback as its own; the sink's is the one to show.
                if let failure = sinkFailure.withLock({ $0 }) { throw failure }
                throw CLIError.authority(error)
            }
            return written.withLock { $0 }
        }

        /// The `sequence` member of one exported line (`-1` if unreadable, which never passes a filter).
        static func sequence(of line: ArraySlice<UInt8>) -> Int64 {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let number = object["sequence"] as? NSNumber
            else { return -1 }
            return number.int64Value
        }
    }
}
