import Foundation
import Testing
@testable import MissionCore

@Suite("Storage: WAL checkpoints off the commit path")
struct StorageCheckpointTests {
    /// Commits `count` rows of 2 KiB, one per write (so each commit adds frames to the WAL).
    private static func writeRows(_ database: Database, count: Int, from first: Int = 0) async throws {
        let padding = [UInt8](repeating: 0x78, count: 2_048)
        for caller in first..<(first + count) {
            try await database.write { db in
                try db.run(
                    "INSERT INTO entries(caller, sequence, payload) VALUES (?, 0, ?)", [.int(caller), .blob(padding)])
            }
        }
    }

    /// Waits (up to 20 s) until `condition` holds for the checkpointer's counters.
    private static func eventually(
        _ database: Database, _ condition: (WALCheckpointer.Statistics) -> Bool
    ) async throws -> WALCheckpointer.Statistics {
        for _ in 0..<400 {
            let statistics = database.checkpointer.statistics
            if condition(statistics) { return statistics }
            try await Task.sleep(for: .milliseconds(50))
        }
        return database.checkpointer.statistics
    }

    /// A database at `folder/ma.sqlite` with these checkpoint sizes (in frames).
    private static func open(
        in folder: String, threshold: Int, restart: Int = 100_000, inline: Int = 100_000
    ) throws -> Database {
        var configuration = DatabaseConfiguration()
        configuration.checkpointThresholdFrames = threshold
        configuration.checkpointRestartFrames = restart
        configuration.inlineCheckpointFrames = inline
        return try Database.open(
            at: folder + "/ma.sqlite", migrations: [StorageFixtures.entries], configuration: configuration)
    }

    private static func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test("Past the threshold the checkpointer thread copies the WAL into the database file; commits never do")
    func backgroundCheckpoint() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/ma.sqlite"
            let database = try Self.open(in: folder, threshold: 20)
            let before = try Self.fileSize(path)
            try await Self.writeRows(database, count: 200)
            let statistics = try await Self.eventually(database) { $0.checkpoints >= 1 }
            #expect(statistics.checkpoints >= 1)
            #expect(statistics.failures == 0)
            #expect(statistics.inlineCheckpoints == 0)
            // The rows' pages reached the database file itself, not only the WAL.
            #expect(try Self.fileSize(path) > before + 100 * 2_048)
            #expect(try database.integrityCheck() == [])
            database.close()

            let reopened = try Database.open(at: path, migrations: [StorageFixtures.entries])
            defer { reopened.close() }
            #expect(try StorageFixtures.count(reopened) == 200)
        }
    }

    @Test("Past the restart size a checkpoint pass makes the next commit start the WAL over")
    func restartPass() async throws {
        try await withTemporaryDirectory { folder in
            let database = try Self.open(in: folder, threshold: 40, restart: 120)
            defer { database.close() }
            // The writer starts the WAL over after one of its commits, so keep committing until it has.
            var written = 0
            while database.checkpointer.statistics.restarts == 0 && written < 4_000 {
                try await Self.writeRows(database, count: 50, from: written)
                written += 50
            }
            let statistics = database.checkpointer.statistics
            #expect(statistics.restarts >= 1)
            #expect(statistics.failures == 0)
            #expect(statistics.inlineCheckpoints == 0)
            // The WAL was started over: well under the four frames per commit it would otherwise hold.
            try await Self.writeRows(database, count: 1, from: written)
            #expect(database.checkpointer.statistics.lastWALFrames < 2 * 4 * written / 3)
            #expect(try database.integrityCheck() == [])
            #expect(try StorageFixtures.count(database) == Int64(written + 1))
        }
    }

    @Test("Below the threshold nothing is checkpointed: SQLite's own automatic checkpoint is off")
    func noAutomaticCheckpoint() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/ma.sqlite"
            let database = try Self.open(in: folder, threshold: 50_000)
            defer { database.close() }
            let before = try Self.fileSize(path)
            // About 2,400 frames: past SQLite's default of 1,000, which would have grown the file.
            try await Self.writeRows(database, count: 1_200)
            let statistics = database.checkpointer.statistics
            #expect(statistics.checkpoints == 0)
            #expect(statistics.inlineCheckpoints == 0)
            #expect(statistics.lastWALFrames >= 1_200)
            #expect(try Self.fileSize(path) == before)
            #expect(try StorageFixtures.count(database) == 1_200)
        }
    }

    @Test("At the inline bound the writer checkpoints itself, so the WAL stays bounded")
    func inlineCheckpointBound() async throws {
        try await withTemporaryDirectory { folder in
            let database = try Self.open(in: folder, threshold: 50_000, inline: 60)
            defer { database.close() }
            try await Self.writeRows(database, count: 300)
            let statistics = database.checkpointer.statistics
            #expect(statistics.inlineCheckpoints >= 1)
            #expect(statistics.checkpoints == 0)
            // Each inline checkpoint let the next commit start the WAL over: without them it would
            // hold about 600 frames now.
            #expect(statistics.lastWALFrames <= 64)
            #expect(try database.integrityCheck() == [])
            #expect(try StorageFixtures.count(database) == 300)
        }
    }

    @Test("Closing with a checkpoint due, or dropping the database unclosed, loses nothing")
    func closeAndDrop() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/ma.sqlite"
            let first = try Self.open(in: folder, threshold: 10)
            try await Self.writeRows(first, count: 100)
            first.close()
            do {
                let second = try Self.open(in: folder, threshold: 10)
                try await Self.writeRows(second, count: 100, from: 100)
            }
            // The unclosed writer drains and closes on its own thread; a fresh open sees every row.
            var count: Int64 = 0
            for _ in 0..<100 {
                let reopened = try Database.open(at: path, migrations: [StorageFixtures.entries])
                count = try StorageFixtures.count(reopened)
                reopened.close()
                if count == 200 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(count == 200)
        }
    }
}
