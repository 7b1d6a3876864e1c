import CSQLite
import Foundation
import Testing
@testable import MissionCore

@Suite struct StorageWriterTests {
    private static let insert = "INSERT INTO entries(caller, sequence, payload) VALUES (?, ?, ?)"

    private static func insert(_ caller: Int, _ sequence: Int, payload: [UInt8] = [1, 2, 3])
        -> @Sendable (SQLiteConnection) throws -> Int64
    {
        { db in
            try db.run(insert, [.int(caller), .int(sequence), .blob(payload)])
            return db.lastInsertRowID
        }
    }

    /// Opens a database, holds the writer thread inside a first write until `release` is opened,
    /// so that the writes the body queues meanwhile form one batch.
    private static func withHeldWriter(
        _ database: Database, _ body: (_ release: Gate) async throws -> Void
    ) async throws {
        let entered = Gate()
        let release = Gate()
        async let held: Void = database.write { _ in
            entered.open()
            release.wait()
        }
        try await waitUntil("the writer is inside the first write") { entered.opened }
        try await body(release)
        release.open()
        try await held
    }

    @Test func concurrentCallersLandExactlyOnceAndSurviveReopen() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/ma.sqlite"
            let callers = 64
            let writesPerCaller = 20
            let database = try Database.open(at: path, migrations: [StorageFixtures.entries])
            let acknowledged = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for caller in 0..<callers {
                    group.addTask {
                        var ids: [Int64] = []
                        for sequence in 0..<writesPerCaller {
                            ids.append(try await database.write(Self.insert(caller, sequence)))
                        }
                        return ids
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(acknowledged.count == callers * writesPerCaller)
            #expect(Set(acknowledged).count == acknowledged.count)
            let statistics = database.writer.statistics
            #expect(statistics.items == callers * writesPerCaller + 0)
            database.close()

            let reopened = try Database.open(at: path, migrations: [StorageFixtures.entries])
            defer { reopened.close() }
            let stored = try reopened.read { db in
                try db.rows("SELECT id, caller, sequence FROM entries ORDER BY id")
            }
            #expect(Set(try stored.map { try $0.int64(0) }) == Set(acknowledged))
            #expect(Set(try stored.map { "\(try $0.int64(1))/\(try $0.int64(2))" }).count == callers * writesPerCaller)
            #expect(try reopened.integrityCheck() == [])
        }
    }

    @Test func aFailingWriteDoesNotDisturbItsBatch() async throws {
        try await withTemporaryDirectory { folder in
            let database = try Database.open(at: folder + "/ma.sqlite", migrations: [StorageFixtures.entries])
            defer { database.close() }
            try await database.write(Self.insert(0, 0))  // (0, 0) exists: a second insert violates UNIQUE
            let before = database.writer.statistics.batches
            var outcomes: [Int: Result<Int64, any Error>] = [:]
            try await Self.withHeldWriter(database) { release in
                try await withThrowingTaskGroup(of: (Int, Result<Int64, any Error>).self) { group in
                    for caller in 1...5 {
                        group.addTask {
                            let work: @Sendable (SQLiteConnection) throws -> Int64 =
                                caller == 3 ? Self.insert(0, 0) : Self.insert(caller, 0)
                            do { return (caller, .success(try await database.write(work))) } catch {
                                return (caller, .failure(error))
                            }
                        }
                    }
                    group.addTask {
                        // A thrown Swift error, after the work's own statement ran.
                        let result = await Result<Int64, any Error> {
                            try await database.write { db in
                                try db.run(Self.insert, [6, 0, nil])
                                throw TestFailure()
                            }
                        }
                        return (6, result)
                    }
                    try await waitUntil("six writes are queued") { database.writer.pendingCount == 6 }
                    release.open()
                    for try await (caller, result) in group { outcomes[caller] = result }
                }
            }
            // The held write's batch and then exactly one batch with all six.
            #expect(database.writer.statistics.batches == before + 2)
            #expect(database.writer.statistics.largestBatch == 6)
            for caller in [1, 2, 4, 5] { #expect((try? outcomes[caller]?.get()) != nil) }
            #expect(throws: SQLiteError.self) { try outcomes[3]?.get() }
            #expect(throws: TestFailure.self) { try outcomes[6]?.get() }
            let callers = try database.read { db in
                try db.rows("SELECT caller FROM entries ORDER BY caller").map { try $0.int64(0) }
            }
            #expect(callers == [0, 1, 2, 4, 5])
        }
    }

    @Test func aFailedCommitFailsTheWholeBatchAndTheWriterRecovers() async throws {
        let schema = SQLiteMigration(
            version: 1,
            sql: """
                CREATE TABLE parents(id INTEGER PRIMARY KEY) STRICT;
                CREATE TABLE children(
                    id INTEGER PRIMARY KEY,
                    parent INTEGER NOT NULL REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED
                ) STRICT;
                """)
        try await withTemporaryDirectory { folder in
            let database = try Database.open(at: folder + "/ma.sqlite", migrations: [schema])
            defer { database.close() }
            var failures: [any Error] = []
            try await Self.withHeldWriter(database) { release in
                try await withThrowingTaskGroup(of: (any Error)?.self) { group in
                    for id in 1...3 {
                        group.addTask {
                            await Result {
                                try await database.write { db in
                                    try db.run("INSERT INTO parents VALUES (?)", [.int(id)])
                                }
                            }
                            .failure
                        }
                    }
                    // A deferred foreign key is only checked at COMMIT: it fails the whole batch.
                    group.addTask {
                        await Result {
                            try await database.write { db in try db.run("INSERT INTO children VALUES (1, 99)") }
                        }
                        .failure
                    }
                    try await waitUntil("four writes are queued") { database.writer.pendingCount == 4 }
                    release.open()
                    for try await failure in group { if let failure { failures.append(failure) } }
                }
            }
            #expect(failures.count == 4)
            for failure in failures {
                // SQLITE_CONSTRAINT_FOREIGNKEY = SQLITE_CONSTRAINT | (3 << 8).
                #expect((failure as? SQLiteError)?.extendedCode == SQLITE_CONSTRAINT | (3 << 8))
            }
            #expect(try StorageFixtures.count(database, "parents") == 0)
            // The writer is out of the failed transaction and serves the next batch.
            try await database.write { db in try db.run("INSERT INTO parents VALUES (7)") }
            #expect(try StorageFixtures.count(database, "parents") == 1)
        }
    }

    @Test func aWriteThatEndsTheTransactionFailsOnlyItsRiders() async throws {
        try await withTemporaryDirectory { folder in
            let database = try Database.open(at: folder + "/ma.sqlite", migrations: [StorageFixtures.entries])
            defer { database.close() }
            var outcomes: [Int: Result<Int64, any Error>] = [:]
            try await Self.withHeldWriter(database) { release in
                try await withThrowingTaskGroup(of: (Int, Result<Int64, any Error>).self) { group in
                    group.addTask { (1, await Result { try await database.write(Self.insert(1, 0)) }) }
                    try await waitUntil("the first write is queued") { database.writer.pendingCount == 1 }
                    // Stands in for SQLite rolling the whole transaction back (as SQLITE_IOERR or
                    // SQLITE_NOMEM may): the work before it in the batch is gone with it.
                    group.addTask {
                        (
                            2,
                            await Result {
                                try await database.write { db in
                                    try db.execute("ROLLBACK"); return 0
                                }
                            }
                        )
                    }
                    try await waitUntil("the second write is queued") { database.writer.pendingCount == 2 }
                    group.addTask { (3, await Result { try await database.write(Self.insert(3, 0)) }) }
                    try await waitUntil("three writes are queued") { database.writer.pendingCount == 3 }
                    release.open()
                    for try await (caller, result) in group { outcomes[caller] = result }
                }
            }
            // SQLITE_ABORT_ROLLBACK = SQLITE_ABORT | (2 << 8).
            for caller in [1, 2] {
                #expect((outcomes[caller]?.failure as? SQLiteError)?.extendedCode == SQLITE_ABORT | (2 << 8))
            }
            #expect((try? outcomes[3]?.get()) != nil)
            let callers = try database.read { db in try db.rows("SELECT caller FROM entries").map { try $0.int64(0) } }
            #expect(callers == [3])
        }
    }

    @Test func diskFullIsReportedAndNothingAcknowledgedIsLost() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/ma.sqlite"
            let database = try Database.open(at: path, migrations: [StorageFixtures.entries])
            // A size cap a few pages above the current size stands in for a full disk.
            try await database.write { db in
                let pages = try db.firstRow("PRAGMA page_count")?.int64(0) ?? 0
                try db.execute("PRAGMA max_page_count = \(pages + 6)")
            }
            let payload = [UInt8](repeating: 0xAB, count: 3_000)
            let outcomes = try await withThrowingTaskGroup(of: (Int, Result<Int64, any Error>).self) { group in
                for caller in 0..<64 {
                    group.addTask {
                        (caller, await Result { try await database.write(Self.insert(caller, 0, payload: payload)) })
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            let acknowledged = Set(outcomes.compactMap { (try? $0.value.get()) != nil ? Int64($0.key) : nil })
            let errors = outcomes.values.compactMap(\.failure)
            #expect(!errors.isEmpty)
            #expect(!acknowledged.isEmpty)
            for error in errors { #expect((error as? SQLiteError)?.isFull == true, "\(error)") }

            // Space is freed: the writer carries on.
            try await database.write { db in try db.execute("PRAGMA max_page_count = 1000000") }
            try await database.write(Self.insert(1_000, 0, payload: payload))
            database.close()

            let reopened = try Database.open(at: path, migrations: [StorageFixtures.entries])
            defer { reopened.close() }
            let stored = try reopened.read { db in
                Set(try db.rows("SELECT caller FROM entries").map { try $0.int64(0) })
            }
            #expect(stored == acknowledged.union([1_000]))
            #expect(try reopened.integrityCheck() == [])
        }
    }

    @Test func readersSeeCommittedDataWhileABatchIsOpen() async throws {
        try await withTemporaryDirectory { folder in
            let database = try Database.open(at: folder + "/ma.sqlite", migrations: [StorageFixtures.entries])
            defer { database.close() }
            try await database.write(Self.insert(1, 0))
            let inserted = Gate()
            let release = Gate()
            async let pending: Int64 = database.write { db in
                let id = try Self.insert(2, 0)(db)
                inserted.open()
                release.wait()
                return id
            }
            try await waitUntil("the uncommitted row is written") { inserted.opened }
            // The writer holds its write lock mid-transaction; WAL readers neither wait nor see it.
            let visible = try database.read { db in try db.rows("SELECT caller FROM entries").map { try $0.int64(0) } }
            #expect(visible == [1])
            release.open()
            _ = try await pending
            #expect(try StorageFixtures.count(database) == 2)
        }
    }

    @Test func synchronousWritesAndClosedWriter() throws {
        try withTemporaryDirectorySync { folder in
            let database = try Database.open(at: folder + "/ma.sqlite", migrations: [StorageFixtures.entries])
            let id = try database.writer.writeAndWait(Self.insert(1, 1))
            #expect(id == 1)
            #expect(throws: TestFailure.self) { try database.writer.writeAndWait { _ in throw TestFailure() } }
            database.close()
            #expect(throws: SQLiteError.closed) { try database.writer.writeAndWait(Self.insert(1, 2)) }
            #expect(throws: SQLiteError.closed) { try StorageFixtures.count(database) }
        }
    }
}

extension Result {
    init(catching body: () async throws(Failure) -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }

    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
