import Foundation
import Testing

@testable import MAServer

#if canImport(Glibc)
    import Glibc
#endif

/// Temporary folders, parsing helpers and output readers for the CLI tests.
enum CLITestSupport {
    /// Runs `body` with a fresh folder that is removed afterwards, whatever happens.
    static func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async rethrows -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("maserver-cli-\(UUID().uuidString)")
            .path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await body(path)
    }

    /// Parses a command line as `maserver` would and returns the subcommand, typed.
    static func parse<C>(_ arguments: [String], as type: C.Type = C.self) throws -> C {
        let command = try MAServerCommand.parseAsRoot(arguments)
        return try #require(command as? C, "parsed \(Swift.type(of: command)), not \(C.self)")
    }

    /// The JSON body of a helper's printout: everything after the first empty line.
    static func body(of output: CommandOutput) throws -> [String: Any] {
        let blank = try #require(output.lines.firstIndex(of: ""), "no body in \(output.lines)")
        let text = output.lines[(blank + 1)...].joined(separator: "\n")
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// A header's value in a helper's printout.
    static func header(_ name: String, in output: CommandOutput) -> String? {
        let prefix = name.lowercased() + ": "
        let end = output.lines.firstIndex(of: "") ?? output.lines.endIndex
        return output.lines[..<end].first { $0.lowercased().hasPrefix(prefix) }.map {
            String($0.dropFirst(prefix.count))
        }
    }

    /// A TCP port nobody listens on right now (bound to port 0, read back, released). The Application needs its
    /// port before it is built, because development mode accepts signatures addressed to the listen port.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(bound == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        try #require(named == 0)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
