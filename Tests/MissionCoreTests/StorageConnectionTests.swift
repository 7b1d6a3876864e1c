import CSQLite
import Testing
@testable import MissionCore

@Suite struct StorageConnectionTests {
    private func memory() throws -> SQLiteConnection {
        try SQLiteConnection(path: ":memory:", mode: .readWrite)
    }

    @Test(arguments: [
        SQLiteValue.null, .integer(0), .integer(Int64.max), .integer(Int64.min), .real(3.25), .real(-1e300),
        .text(""), .text("héllo ✓ 🔑"), .text("nul\u{0}inside"), .blob([]), .blob([0, 1, 127, 128, 255]),
    ])
    func valueRoundTrips(value: SQLiteValue) throws {
        let db = try memory()
        try db.execute("CREATE TABLE t(v ANY) STRICT")
        try db.run("INSERT INTO t(v) VALUES (?)", [value])
        let row = try #require(try db.firstRow("SELECT v, typeof(v) FROM t"))
        #expect(row[0] == value)
        #expect(try row.text(1) == value.typeName)
    }

    @Test func typedAccessIsStrict() throws {
        let db = try memory()
        let row = try #require(try db.firstRow("SELECT 7, 2.5, 'x', x'0102', NULL"))
        #expect(try row.int64(0) == 7)
        #expect(try row.double(1) == 2.5)
        #expect(try row.text(2) == "x")
        #expect(try row.blob(3) == [1, 2])
        #expect(try row.optionalText(4) == nil)
        #expect(row.isNull(4))
        #expect(throws: SQLiteError.columnType(index: 2, expected: "integer", actual: "text")) { try row.int64(2) }
        #expect(throws: SQLiteError.columnType(index: 4, expected: "blob", actual: "null")) { try row.blob(4) }
        #expect(throws: SQLiteError.columnType(index: 0, expected: "real", actual: "integer")) { try row.double(0) }
    }

    @Test func namedAndPositionalBinding() throws {
        let db = try memory()
        try db.execute("CREATE TABLE t(a INTEGER, b TEXT) STRICT")
        try db.run("INSERT INTO t(a, b) VALUES (:a, :b)", ["a": 1, ":b": "one"])
        try db.run("INSERT INTO t(a, b) VALUES (?, ?)", [2, "two"])
        #expect(db.changes == 1)
        #expect(db.lastInsertRowID == 2)
        let rows = try db.rows("SELECT a, b FROM t WHERE a >= :min ORDER BY a", ["min": 1])
        #expect(rows == [SQLiteRow([1, "one"]), SQLiteRow([2, "two"])])
        // Every parameter must be bound, and by a name the statement has.
        #expect(throws: SQLiteError.self) { try db.run("INSERT INTO t(a, b) VALUES (:a, :b)", ["a": 1]) }
        #expect(throws: SQLiteError.self) { try db.run("INSERT INTO t(a, b) VALUES (:a, :b)", ["a": 1, "c": 2]) }
        #expect(throws: SQLiteError.self) { try db.run("INSERT INTO t(a, b) VALUES (?, ?)", [1]) }
    }

    @Test func statementCacheReusesByText() throws {
        let db = try memory()
        let sql = "SELECT 1"
        #expect(db.cachedStatementCount == 0)
        _ = try db.rows(sql)
        _ = try db.rows(sql)
        #expect(db.cachedStatementCount == 1)
        // The same text used inside its own iteration gets a separate statement.
        try db.withStatement(sql) { outer in
            #expect(try outer.step())
            try db.withStatement(sql) { inner throws in
                #expect(inner !== outer)
                let hasRow = try inner.step()
                #expect(hasRow)
            }
            #expect(try outer.step() == false)
        }
        try db.withStatement(sql) { again in
            try db.withStatement(sql) { _ in }
            #expect(again.sql == sql)
        }
        #expect(db.cachedStatementCount == 1)
    }

    @Test func statementCacheIsBounded() throws {
        let db = try memory()
        for number in 0..<(SQLiteConnection.statementCacheCapacity + 10) {
            #expect(try db.firstRow("SELECT \(number)") == SQLiteRow([.int(number)]))
        }
        #expect(db.cachedStatementCount <= SQLiteConnection.statementCacheCapacity)
        #expect(db.cachedStatementCount > 0)
    }

    @Test func bindingByIndexAndStepping() throws {
        let db = try memory()
        let statement = try db.prepare("SELECT ?1 + ?2, ?2")
        #expect(statement.parameterCount == 2)
        try statement.bind(40, at: 1)
        try statement.bind(2, at: 2)
        #expect(try statement.step())
        #expect(statement.row() == SQLiteRow([42, 2]))
        #expect(try statement.step() == false)
        statement.reset()
        statement.clearBindings()
        #expect(try statement.allRows() == [SQLiteRow([nil, nil])])
        #expect(throws: SQLiteError.self) { try statement.bind(1, at: 3) }  // SQLITE_RANGE
    }

    @Test func errorsCarryExtendedCodeMessageAndSQL() throws {
        let db = try memory()
        try db.execute("CREATE TABLE t(k TEXT PRIMARY KEY) STRICT; INSERT INTO t VALUES ('a');")
        do {
            try db.execute("INSERT INTO t VALUES ('b'); INSERT INTO t VALUES ('a');")
            Issue.record("duplicate key accepted")
        } catch {
            // SQLITE_CONSTRAINT_PRIMARYKEY = SQLITE_CONSTRAINT | (6 << 8).
            #expect(error.extendedCode == SQLITE_CONSTRAINT | (6 << 8))
            #expect(error.primaryCode == SQLITE_CONSTRAINT)
            guard case .failed(_, let message, let sql) = error else { return }
            #expect(message.contains("UNIQUE constraint failed"))
            #expect(sql == "INSERT INTO t VALUES ('a');")
        }
        #expect(throws: SQLiteError.self) { try db.execute("SELEC nonsense") }
        #expect(throws: SQLiteError.self) { try db.run("SELECT 1; SELECT 2") }
        // STRICT tables refuse a value of the wrong type (SQLITE_CONSTRAINT_DATATYPE).
        try db.execute("CREATE TABLE n(v INTEGER NOT NULL) STRICT")
        #expect(
            throws: SQLiteError.failed(
                code: SQLITE_CONSTRAINT | (12 << 8), message: "cannot store TEXT value in INTEGER column n.v",
                sql: "INSERT INTO n(v) VALUES (?)")
        ) { try db.run("INSERT INTO n(v) VALUES (?)", ["seven"]) }
    }

    @Test func transactionRollsBackOnThrow() throws {
        let db = try memory()
        try db.execute("CREATE TABLE t(v INTEGER) STRICT")
        #expect(throws: TestFailure.self) {
            try db.transaction(.immediate) {
                try db.run("INSERT INTO t VALUES (1)")
                throw TestFailure()
            }
        }
        #expect(!db.isInTransaction)
        try db.transaction(.immediate) {
            try db.run("INSERT INTO t VALUES (2)")
            // A failing nested unit undoes only itself.
            #expect(throws: TestFailure.self) {
                try db.savepoint {
                    try db.run("INSERT INTO t VALUES (3)")
                    throw TestFailure()
                }
            }
            try db.savepoint { try db.run("INSERT INTO t VALUES (4)") }
        }
        #expect(try db.rows("SELECT v FROM t ORDER BY v") == [SQLiteRow([2]), SQLiteRow([4])])
    }

    @Test func walCheckRefusesAModeThatDidNotApply() throws {
        let db = try memory()
        #expect(throws: SQLiteError.journalModeNotApplied(requested: "wal", actual: "memory")) {
            try db.enableWAL()
        }
    }

    @Test func readOnlyConnectionRefusesWrites() throws {
        try withTemporaryDirectorySync { folder in
            let path = folder + "/ro.sqlite"
            try SQLiteConnection(path: path, mode: .readWrite).execute("CREATE TABLE t(v INTEGER) STRICT")
            let reader = try SQLiteConnection(path: path, mode: .readOnly)
            #expect(throws: SQLiteError.self) { try reader.run("INSERT INTO t VALUES (1)") }
            #expect(throws: SQLiteError.self) {
                try SQLiteConnection(path: folder + "/missing.sqlite", mode: .readOnly)
            }
        }
    }
}
