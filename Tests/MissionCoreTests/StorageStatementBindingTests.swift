import CSQLite
import Testing
@testable import MissionCore

/// TEXT and BLOB parameters are bound SQLITE_STATIC from buffers the statement owns and reuses
/// (`SQLiteStatement.bindBytes`): every run must see exactly the values bound for it, whatever
/// sizes earlier runs left behind, and a value must never change under a running statement.
@Suite struct StorageStatementBindingTests {
    private func memory() throws -> SQLiteConnection {
        try SQLiteConnection(path: ":memory:", mode: .readWrite)
    }

    /// Lengths that grow past earlier buffers, shrink, hit zero, and cross the reuse limit.
    private static let lengths = [
        0, 1, 3, 63, 64, 65, 2, 127, 128, 129, 0, 1_000, 5, 4_095, 4_096, 4_097, 10, 20_000, 64, 3_000, 0, 4_096,
    ]

    private static func text(length: Int, seed: Int) -> String {
        let alphabet = Array("abcdéf✓🔑\u{0}XYZ")
        var text = ""
        var index = seed
        while text.utf8.count < length {
            text.append(alphabet[index % alphabet.count])
            index &+= 7
        }
        return text
    }

    private static func blob(length: Int, seed: Int) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ seed) }
    }

    @Test func cachedInsertRunManyTimesStoresEveryValueExactly() throws {
        let db = try memory()
        try db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, data BLOB, note TEXT) STRICT")
        var expected: [[SQLiteValue]] = []
        for (run, length) in Self.lengths.enumerated() {
            let name = SQLiteValue.text(Self.text(length: length, seed: run))
            let data = SQLiteValue.blob(Self.blob(length: Self.lengths[(run + 5) % Self.lengths.count], seed: run))
            let note = Self.blob(length: length / 2, seed: run + 1).map { $0 % 26 + 97 }
            try db.withStatement("INSERT INTO t(id, name, data, note) VALUES (?, ?, ?, ?)") { statement in
                try statement.bind(.int(run), at: 1)
                try statement.bind(name, at: 2)
                try statement.bind(data, at: 3)
                try statement.bindText(utf8: note, at: 4)
                #expect(try !statement.step())
            }
            expected.append([.int(run), name, data, .text(String(decoding: note, as: UTF8.self))])
        }
        #expect(db.cachedStatementCount == 1)
        let stored = try db.rows("SELECT id, name, data, note FROM t ORDER BY id")
        #expect(stored.count == expected.count)
        for (row, values) in zip(stored, expected) {
            for column in 0..<4 { #expect(row[column] == values[column]) }
        }
    }

    @Test func selectedParametersReadBackOnEveryRun() throws {
        let db = try memory()
        for (run, length) in Self.lengths.enumerated() {
            let text = Self.text(length: length, seed: run)
            let blob = Self.blob(length: length, seed: run)
            let row = try #require(
                try db.firstRow("SELECT ?1, ?2, typeof(?2), length(CAST(?1 AS BLOB))", [.text(text), .blob(blob)]))
            #expect(row[0] == .text(text))
            #expect(row[1] == .blob(blob))
            #expect(try row.text(2) == "blob")
            #expect(try row.int64(3) == Int64(text.utf8.count))
        }
    }

    @Test func rebindingBeforeSteppingKeepsTheLastValue() throws {
        let db = try memory()
        let statement = try db.prepare("SELECT ?1, :name")
        try statement.bind(.text(String(repeating: "long", count: 100)), at: 1)
        try statement.bind(.text("short"), at: 1)
        try statement.bind(.blob([1, 2, 3]), at: 2)
        try statement.bind(.blob(Self.blob(length: 300, seed: 9)), at: 2)
        #expect(try statement.step())
        #expect(statement.value(at: 0) == .text("short"))
        #expect(statement.value(at: 1) == .blob(Self.blob(length: 300, seed: 9)))
        statement.reset()
        try statement.bind([.text("again"), .text("named")])
        #expect(try statement.step())
        #expect(statement.value(at: 0) == .text("again"))
        #expect(statement.value(at: 1) == .text("named"))
    }

    @Test func bindingARunningStatementFailsAndLeavesItsValueAlone() throws {
        let db = try memory()
        try db.withStatement("SELECT ?1, n FROM (SELECT 1 AS n UNION ALL SELECT 2) ORDER BY n") { statement in
            try statement.bind(.text("original"), at: 1)
            #expect(try statement.step())
            #expect(statement.value(at: 0) == .text("original"))
            // A bigger value would need a new buffer, a smaller one would overwrite in place:
            // neither may happen while the statement runs.
            for replacement in ["x", String(repeating: "replacement", count: 50)] {
                do {
                    try statement.bind(.text(replacement), at: 1)
                    Issue.record("binding a running statement succeeded")
                } catch {
                    #expect((error as? SQLiteError)?.extendedCode == SQLITE_MISUSE)
                }
            }
            #expect(try statement.step())
            #expect(statement.value(at: 0) == .text("original"))
            #expect(try !statement.step())
        }
    }

    @Test func outOfRangeParametersAreRefusedAsBefore() throws {
        let db = try memory()
        let statement = try db.prepare("SELECT ?1")
        for value in [SQLiteValue.text("a"), .blob([1]), .text(String(repeating: "b", count: 5_000))] {
            do {
                try statement.bind(value, at: 2)
                Issue.record("binding parameter 2 of 1 succeeded")
            } catch {
                #expect(error.extendedCode == SQLITE_RANGE)
            }
        }
    }

    @Test func emptyValuesStayEmptyNotNull() throws {
        let db = try memory()
        for _ in 0..<3 {
            let row = try #require(
                try db.firstRow("SELECT typeof(?1), typeof(?2), length(?1)", [.text(""), .blob([])]))
            #expect(try row.text(0) == "text")
            #expect(try row.text(1) == "blob")
            #expect(try row.int64(2) == 0)
        }
        try db.withStatement("SELECT typeof(?1)") { statement in
            try statement.bindText(utf8: [], at: 1)
            #expect(try statement.step())
            #expect(statement.value(at: 0) == .text("text"))
        }
    }
}
