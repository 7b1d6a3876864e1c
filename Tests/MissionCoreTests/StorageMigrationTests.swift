import Testing
@testable import MissionCore

@Suite struct StorageMigrationTests {
    static let v1 = SQLiteMigration(
        version: 1, sql: "CREATE TABLE agents(id TEXT PRIMARY KEY, name TEXT NOT NULL) STRICT;")
    static let v2 = SQLiteMigration(
        version: 2,
        sql: """
            ALTER TABLE agents ADD COLUMN created INTEGER NOT NULL DEFAULT 0;
            CREATE TABLE keys(kid TEXT PRIMARY KEY, agent TEXT NOT NULL REFERENCES agents(id)) STRICT;
            """)

    private func version(_ database: Database) throws -> Int32 {
        try database.read { try $0.userVersion() }
    }

    @Test func freshDatabaseGetsEveryStep() async throws {
        try await withTemporaryDirectory { folder in
            let database = try Database.open(at: folder + "/nested/dir/ma.sqlite", migrations: [Self.v1, Self.v2])
            defer { database.close() }
            #expect(try version(database) == 2)
            try await database.write { db in
                try db.run("INSERT INTO agents(id, name, created) VALUES ('a1', 'Agent', 5)")
                try db.run("INSERT INTO keys(kid, agent) VALUES ('k1', 'a1')")
            }
            // foreign_keys=ON on the writer: a dangling reference is refused.
            await #expect(throws: SQLiteError.self) {
                try await database.write { db in try db.run("INSERT INTO keys(kid, agent) VALUES ('k2', 'nobody')") }
            }
        }
    }

    @Test func upgradeAppliesOnlyNewSteps() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/ma.sqlite"
            let first = try Database.open(at: path, migrations: [Self.v1])
            try await first.write { db in try db.run("INSERT INTO agents(id, name) VALUES ('a1', 'Kept')") }
            #expect(try version(first) == 1)
            first.close()

            let second = try Database.open(at: path, migrations: [Self.v1, Self.v2])
            defer { second.close() }
            #expect(try version(second) == 2)
            let row = try second.read { try $0.firstRow("SELECT name, created FROM agents") }
            #expect(row == SQLiteRow(["Kept", 0]))
        }
    }

    @Test func refusesADatabaseNewerThanTheCode() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/ma.sqlite"
            try Database.open(at: path, migrations: [Self.v1, Self.v2]).close()
            #expect(throws: SQLiteError.schemaNewerThanCode(databaseVersion: 2, newestKnownVersion: 1)) {
                try Database.open(at: path, migrations: [Self.v1])
            }
            // Still intact for the newer code.
            let database = try Database.open(at: path, migrations: [Self.v1, Self.v2])
            #expect(try version(database) == 2)
            database.close()
        }
    }

    @Test(arguments: [
        [SQLiteMigration(version: 2, sql: "SELECT 1"), SQLiteMigration(version: 1, sql: "SELECT 1")],
        [SQLiteMigration(version: 1, sql: "SELECT 1"), SQLiteMigration(version: 1, sql: "SELECT 1")],
        [SQLiteMigration(version: 0, sql: "SELECT 1")],
    ])
    func refusesAnUnorderedList(migrations: [SQLiteMigration]) throws {
        let connection = try SQLiteConnection(path: ":memory:", mode: .readWrite)
        #expect(throws: SQLiteError.self) { try SQLiteMigration.apply(migrations, on: connection) }
    }

    @Test func failingStepLeavesThePreviousVersionWhole() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/ma.sqlite"
            let broken = SQLiteMigration(
                version: 2, sql: "CREATE TABLE half(v INTEGER) STRICT; INSERT INTO missing VALUES (1);")
            #expect(throws: SQLiteError.self) { try Database.open(at: path, migrations: [Self.v1, broken]) }
            let database = try Database.open(at: path, migrations: [Self.v1])
            defer { database.close() }
            #expect(try version(database) == 1)
            let tables = try database.read { db in
                try db.rows("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").map { try $0.text(0) }
            }
            #expect(tables == ["agents"])
        }
    }
}
