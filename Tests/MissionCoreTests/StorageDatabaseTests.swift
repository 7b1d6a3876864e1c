import Foundation
import Testing
@testable import MissionCore

@Suite struct StorageDatabaseTests {
    @Test func opensInWALWithDurableSettings() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/data/ma.sqlite"
            let database = try Database.open(at: path, migrations: [StorageFixtures.entries])
            defer { database.close() }
            #expect(try database.read { try $0.firstRow("PRAGMA journal_mode")?.text(0) } == "wal")
            let settings = try await database.write { db in
                [
                    try db.firstRow("PRAGMA synchronous")?.int64(0), try db.firstRow("PRAGMA foreign_keys")?.int64(0),
                    try db.firstRow("PRAGMA busy_timeout")?.int64(0),
                ]
            }
            #expect(settings == [2, 1, 5_000])  // synchronous FULL = 2
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
            let folderMode = try FileManager.default.attributesOfItem(atPath: folder + "/data")[.posixPermissions]
            #expect((folderMode as? NSNumber)?.intValue == 0o700)
        }
    }

    @Test func unusablePathsAreSQLiteErrors() async throws {
        try await withTemporaryDirectory { folder in
            let file = folder + "/plain-file"
            #expect(FileManager.default.createFile(atPath: file, contents: Data("not a database".utf8)))
            // A folder where a file is, and a file that is not a database.
            #expect(throws: SQLiteError.self) { try Database.open(at: file + "/ma.sqlite", migrations: []) }
            #expect(throws: SQLiteError.self) { try Database.open(at: file, migrations: []) }
        }
    }

    @Test func integrityCheckAndBackupOfALiveDatabase() async throws {
        try await withTemporaryDirectory { folder in
            let database = try Database.open(at: folder + "/ma.sqlite", migrations: [StorageFixtures.entries])
            defer { database.close() }
            for caller in 0..<50 {
                try await database.write { db in
                    try db.run("INSERT INTO entries(caller, sequence) VALUES (?, 0)", [.int(caller)])
                }
            }
            #expect(try database.integrityCheck() == [])

            let copy = folder + "/backups/ma-copy.sqlite"
            try FileManager.default.createDirectory(atPath: folder + "/backups", withIntermediateDirectories: true)
            try database.backup(to: copy)
            #expect(!FileManager.default.fileExists(atPath: copy + ".partial"))
            #expect(throws: SQLiteError.backupDestinationExists(copy)) { try database.backup(to: copy) }
            // Writes after the backup are not in it.
            try await database.write { db in try db.run("INSERT INTO entries(caller, sequence) VALUES (99, 1)") }

            let restored = try Database.open(at: copy, migrations: [StorageFixtures.entries])
            defer { restored.close() }
            #expect(try StorageFixtures.count(restored) == 50)
            #expect(try restored.integrityCheck() == [])
            #expect(try restored.read { try $0.userVersion() } == 1)
        }
    }

    @Test func readersNeverSeeHalfAWrite() async throws {
        try await withTemporaryDirectory { folder in
            let database = try Database.open(at: folder + "/ma.sqlite", migrations: [StorageFixtures.entries])
            defer { database.close() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for caller in 0..<8 {
                    group.addTask {
                        for sequence in stride(from: 0, to: 40, by: 2) {
                            // Two rows per write: a reader sees both or neither.
                            try await database.write { db in
                                try db.run(
                                    "INSERT INTO entries(caller, sequence) VALUES (?, ?)",
                                    [.int(caller), .int(sequence)])
                                try db.run(
                                    "INSERT INTO entries(caller, sequence) VALUES (?, ?)",
                                    [.int(caller), .int(sequence + 1)])
                            }
                        }
                    }
                }
                for _ in 0..<4 {
                    group.addTask {
                        for _ in 0..<50 {
                            let count = try StorageFixtures.count(database)
                            #expect(count % 2 == 0)
                            await Task.yield()
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try StorageFixtures.count(database) == 8 * 40)
        }
    }

    @Test func readsRunInOneSnapshotAndThePoolIsBounded() async throws {
        try await withTemporaryDirectory { folder in
            var configuration = DatabaseConfiguration()
            configuration.readerCount = 2
            let database = try Database.open(
                at: folder + "/ma.sqlite", migrations: [StorageFixtures.entries], configuration: configuration)
            defer { database.close() }
            try await database.write { db in try db.run("INSERT INTO entries(caller, sequence) VALUES (1, 1)") }
            // A commit that lands in the middle of a read is not seen by that read, and a reader
            // holding its snapshot does not hold the writer up.
            let (before, after) = try database.read { db in
                let before = try StorageFixtures.countIn(db)
                try database.writer.writeAndWait { db in
                    try db.run("INSERT INTO entries(caller, sequence) VALUES (1, 2)")
                }
                return (before, try StorageFixtures.countIn(db))
            }
            #expect(before == 1)
            #expect(after == 1)
            #expect(try StorageFixtures.count(database) == 2)
            // More concurrent readers than connections: they queue for one and all succeed.
            let counts = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<16 { group.addTask { try StorageFixtures.count(database) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(counts == Array(repeating: 2, count: 16))
            // A read cannot write.
            #expect(throws: SQLiteError.self) {
                try database.read { try $0.run("INSERT INTO entries(caller, sequence) VALUES (2, 3)") }
            }
        }
    }
}
