import BenchSQLite
import Foundation
import MissionCore

/// Measures, single-threaded on this machine, what one granted token request must cost at least: one Ed25519
/// verify (the agent's signature), one token signature (the MA's, Ed25519 by default; ES256 shown too), the
/// amortized audit append of a 64-way group commit (SQLite, WAL, synchronous=FULL), and the generator's own
/// Ed25519 signature, which shares the same cores. The ceiling is `cores / sum of CPU costs`.
struct CeilingProbe: Sendable {
    /// CPU microseconds per operation, and the commit latencies.
    struct Result: Sendable {
        var verifyEd25519 = 0.0
        var signEd25519 = 0.0
        var signES256 = 0.0
        /// The generator's whole request preparation (body, digest, signature base, Ed25519 sign, request bytes).
        var generatorRequest = 0.0
        /// CPU per row of a 64-row commit.
        var groupAppendPerRow = 0.0
        /// CPU of a one-row durable commit.
        var singleCommitCPU = 0.0
        /// Wall time of a one-row durable commit and of a 64-row one (fsync included).
        var singleCommitWall = 0.0
        var groupCommitWall = 0.0
        var cores = 2
        /// Building blocks the server runs per request besides the signatures (for the profile's reading).
        var sha256Small = 0.0
        var jwkThumbprint = 0.0
        var jwtSignEd25519 = 0.0

        /// CPU microseconds one granted token request needs, crypto and the audit append only.
        var perRequest: Double { verifyEd25519 + signEd25519 + groupAppendPerRow + signEd25519 }
        /// Requests per second all cores could complete at that cost.
        var ceiling: Double { Double(cores) * 1e6 / perRequest }
    }

    /// Runs every measurement (a few seconds).
    static func measure(factory: RequestFactory, agent: BenchAgent) throws -> Result {
        var result = Result()
        result.cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        // A token-sized message: a JWT signing input is about 400 bytes.
        let message = Array(repeating: UInt8(ascii: "a"), count: 400)
        let ed = try Ed25519.PrivateKey()
        let signature = try ed.signature(for: message)
        result.verifyEd25519 = try perOperation(4000) { _ in
            guard ed.publicKey.isValidSignature(signature, for: message) else { throw BenchError.probe("verify") }
        }
        result.signEd25519 = try perOperation(4000) { _ in _ = try ed.signature(for: message) }
        let p256 = try P256.Signing.PrivateKey()
        result.signES256 = try perOperation(2000) { _ in _ = try p256.signature(for: message) }
        let loadAgent = LoadAgent(agent, index: 0, factory: factory)
        let loadSigner = try LoadSigner(agents: [loadAgent])
        var encoder = try SignedRequestEncoder(authority: factory.authority)
        var request: [UInt8] = []
        result.generatorRequest = try perOperation(4000) { index in
            try encoder.writeSigned(
                .grant, agent: loadAgent, signer: loadSigner, worker: 0, number: index, created: Int64(time(nil)),
                into: &request)
        }
        let body = Array(repeating: UInt8(ascii: "b"), count: 160)
        result.sha256Small = try perOperation(20000) { _ in _ = SHA256.hash(body) }
        let jwk = JWK(publicKey: ed.publicKey)
        result.jwkThumbprint = try perOperation(20000) { _ in _ = jwk.thumbprint() }
        let signer = JWTSigner(key: .ed25519(ed), keyID: "probe")
        let claims: [String: JSONValue] = [
            "iss": .string("http://127.0.0.1:18480"), "sub": .string(jwk.thumbprintURI()),
            "aud": .string("https://api.bench.example"), "scope": .string("read"), "iat": .integer(1_800_000_000),
            "exp": .integer(1_800_000_600), "jti": .string("0123456789abcdef0123456789abcdef"),
            "mission": .object(["s256": .string("n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg")]),
            "cnf": .object(["jwk": jwk.jsonValue]),
        ]
        result.jwtSignEd25519 = try perOperation(4000) { _ in _ = try signer.sign(claims: claims, type: "aa-auth+jwt") }
        try measureAppends(into: &result)
        return result
    }

    /// CPU microseconds per call of `body`, after a short warm-up (thread CPU time, so other load does not count).
    private static func perOperation(_ count: Int, _ body: (Int) throws -> Void) throws -> Double {
        for index in 0..<min(200, count) { try body(index) }
        let start = ProcessStats.threadCPUNanoseconds()
        for index in 0..<count { try body(index) }
        return Double(ProcessStats.threadCPUNanoseconds() - start) / Double(count) / 1000
    }

    /// A raw audit-shaped table in a temporary WAL database with synchronous=FULL: single-row commits, then
    /// 64-row commits; each row hashed into a chain as MissionCore's trail is.
    private static func measureAppends(into result: inout Result) throws {
        let directory = NSTemporaryDirectory() + "ma-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var handle: OpaquePointer?
        guard sqlite3_open(directory + "/probe.sqlite", &handle) == SQLITE_OK, let db = handle else {
            throw BenchError.probe("sqlite3_open")
        }
        defer { sqlite3_close(db) }
        try exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL")
        try exec(
            db,
            """
            CREATE TABLE audit (seq INTEGER PRIMARY KEY, t INTEGER NOT NULL, mission TEXT, actor TEXT NOT NULL,
              role TEXT NOT NULL, action TEXT NOT NULL, resource TEXT, scopes TEXT, decision TEXT, token_id TEXT,
              prev BLOB NOT NULL, hash BLOB NOT NULL)
            """)
        var statement: OpaquePointer?
        guard
            sqlite3_prepare_v2(
                db, "INSERT INTO audit VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", -1, &statement, nil) == SQLITE_OK,
            let insert = statement
        else { throw BenchError.probe("prepare: " + String(cString: sqlite3_errmsg(db))) }
        defer { sqlite3_finalize(insert) }
        var sequence: Int64 = 0
        var previous = [UInt8](repeating: 0, count: 32)
        let transient = bench_sqlite_transient()
        func append() throws {
            sequence += 1
            let text = "\(sequence)|token_granted|https://api.bench.example|read"
            let hash = SHA256.hash(previous + Array(text.utf8))
            sqlite3_bind_int64(insert, 1, sequence)
            sqlite3_bind_int64(insert, 2, Int64(Date().timeIntervalSince1970 * 1000))
            sqlite3_bind_text(insert, 3, "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg", -1, transient)
            sqlite3_bind_text(insert, 4, "urn:jkt:sha-256:NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", -1, transient)
            sqlite3_bind_text(insert, 5, "agent", -1, transient)
            sqlite3_bind_text(insert, 6, "token_granted", -1, transient)
            sqlite3_bind_text(insert, 7, "https://api.bench.example", -1, transient)
            sqlite3_bind_text(insert, 8, "[\"read\"]", -1, transient)
            sqlite3_bind_text(insert, 9, "granted", -1, transient)
            sqlite3_bind_text(insert, 10, "0123456789abcdef0123456789abcdef", -1, transient)
            previous.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 11, $0.baseAddress, 32, transient) }
            hash.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 12, $0.baseAddress, 32, transient) }
            guard sqlite3_step(insert) == SQLITE_DONE else {
                throw BenchError.probe("insert: " + String(cString: sqlite3_errmsg(db)))
            }
            sqlite3_reset(insert)
            previous = hash
        }
        func commits(_ count: Int, rows: Int) throws -> (cpu: Double, wall: Double) {
            let cpuStart = ProcessStats.threadCPUNanoseconds()
            let wallStart = ContinuousClock.now
            for _ in 0..<count {
                try exec(db, "BEGIN IMMEDIATE")
                for _ in 0..<rows { try append() }
                try exec(db, "COMMIT")
            }
            let wall = ContinuousClock.now - wallStart
            let wallMicroseconds =
                Double(wall.components.seconds) * 1e6 + Double(wall.components.attoseconds) / 1e12
            return (
                Double(ProcessStats.threadCPUNanoseconds() - cpuStart) / 1000 / Double(count),
                wallMicroseconds / Double(count)
            )
        }
        _ = try commits(20, rows: 1)
        let single = try commits(200, rows: 1)
        let group = try commits(100, rows: 64)
        result.singleCommitCPU = single.cpu
        result.singleCommitWall = single.wall
        result.groupAppendPerRow = group.cpu / 64
        result.groupCommitWall = group.wall
    }

    private static func exec(_ db: OpaquePointer, _ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw BenchError.probe("\(sql.prefix(40)): " + String(cString: sqlite3_errmsg(db)))
        }
    }
}
