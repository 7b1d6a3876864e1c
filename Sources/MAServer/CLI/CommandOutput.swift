import ArgumentParser
import Foundation

/// What a command prints, collected so tests can read it; `emit()` writes it out and turns a non-zero code into the
/// process's exit status. Lines for scripts go to stdout, commentary for people to stderr.
struct CommandOutput: Equatable, Sendable {
    /// Lines for stdout.
    var lines: [String] = []
    /// Lines for stderr.
    var notes: [String] = []
    /// The process exit status.
    var exitCode: Int32 = 0

    mutating func print(_ line: String) { lines.append(line) }

    mutating func note(_ line: String) { notes.append(line) }

    /// Writes the lines, then throws `ExitCode` when the command failed.
    func emit() throws {
        for note in notes { FileHandle.standardError.write(Data((note + "\n").utf8)) }
        for line in lines { Swift.print(line) }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}
