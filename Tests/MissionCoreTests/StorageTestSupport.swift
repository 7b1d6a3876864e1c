import Foundation
import Testing
@testable import MissionCore

/// A fresh folder under the system temp directory, removed when `body` ends (however it ends).
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("ma-storage-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// Synchronous `withTemporaryDirectory`.
func withTemporaryDirectorySync<T>(_ body: (String) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("ma-storage-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// A latch a writer-thread work item can block on until the test opens it.
final class Gate: @unchecked Sendable {
    // Safe: `isOpen` is only touched under `condition`.
    private let condition = NSCondition()
    private var isOpen = false

    func open() {
        condition.withLock {
            isOpen = true
            condition.broadcast()
        }
    }

    func wait() {
        condition.withLock {
            while !isOpen { condition.wait() }
        }
    }

    var opened: Bool { condition.withLock { isOpen } }
}

/// Polls `condition` until it holds; records an issue (instead of hanging) after a generous limit.
func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
    for _ in 0..<30_000 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(1))
    }
    Issue.record("gave up waiting until \(what)")
}

struct TestFailure: Error, Equatable {}

enum StorageFixtures {
    /// A STRICT table written by the writer tests.
    static let entries = SQLiteMigration(
        version: 1,
        sql: """
            CREATE TABLE entries(
                id INTEGER PRIMARY KEY,
                caller INTEGER NOT NULL,
                sequence INTEGER NOT NULL,
                payload BLOB,
                UNIQUE(caller, sequence)
            ) STRICT;
            """)

    static func count(_ database: Database, _ table: String = "entries") throws -> Int64 {
        try database.read { try countIn($0, table) }
    }

    static func countIn(_ db: SQLiteConnection, _ table: String = "entries") throws -> Int64 {
        try db.firstRow("SELECT count(*) FROM \(table)")?.int64(0) ?? -1
    }
}
