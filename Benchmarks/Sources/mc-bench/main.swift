import BenchSQLite
import BenchTrail
import Foundation
import MissionCore

// mc-bench: MissionCore's durable decision rate, audit page reads on a large trail, and full
// chain verification. Prints a Markdown table. Build with `-c release`; run on a quiet machine.

let decisionCallers = 64
let environment = ProcessInfo.processInfo.environment
/// `MC_BENCH_EVENTS` shrinks the trail for profiling; `MC_BENCH_SKIP_DECISIONS=1` skips part one,
/// `MC_BENCH_SKIP_GRANTS=1` only its grants, `MC_BENCH_SKIP_DENIED=1` only its denials (to profile
/// grants alone), `MC_BENCH_SKIP_TRAIL=1` the trail. `MC_BENCH_PER_CALLER` sets the decisions
/// per caller (default 500), for longer profiles.
let decisionsPerCaller = environment["MC_BENCH_PER_CALLER"].flatMap(Int.init) ?? 500
let trailEvents = environment["MC_BENCH_EVENTS"].flatMap(Int.init) ?? 1_000_000
/// Fifty events per mission, so every page read returns a full page.
let trailMissions = max(1, trailEvents / 50)
let pageReads = 2_000

func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("mc-bench-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func settings() throws -> MissionAuthority.Settings {
    var settings = MissionAuthority.Settings(issuer: "https://ma.example")
    settings.autoApprovalRules = [
        try AutoApprovalRule(
            agentPattern: .anyAgent,
            maxEnvelope: [try AccessGrant(resource: "https://api.example", scopes: ["read", "write"])],
            maxLifetime: 86_400)
    ]
    return settings
}

/// Durable decisions per second through the facade: `denied` decisions (evaluate + audit append +
/// group commit, no signing) and `granted` ones (plus Ed25519 signing, issued_tokens and the edge).
func measureDecisions(granted: Bool) async throws -> Double {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let authority = try await MissionAuthority.open(dataDirectory: directory, settings: try settings())
    defer { authority.close() }
    let key = try Ed25519.PrivateKey()
    let agent = AgentPrincipal(id: "aauth:bench@agent.example", publicKey: JWK(publicKey: key.publicKey))
    let proposal = try MissionProposal(
        form: .blob, text: "# Bench",
        resources: [ProposedResource(resource: try ResourcePattern("https://api.example"))])
    guard case .approved(let mission) = try await authority.propose(agent: agent, proposal: proposal) else {
        fatalError("the benchmark rule did not approve the mission")  // a setup bug, not input
    }
    let scopes = granted ? ["read"] : ["admin"]
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<decisionCallers {
            group.addTask {
                for _ in 0..<decisionsPerCaller {
                    do {
                        _ = try await authority.requestAccess(
                            agent: agent, missionS256: mission.s256, resource: "https://api.example", scopes: scopes,
                            justification: nil)
                    } catch AuthorityError.denied {
                        // The decision being measured, recorded durably before it was thrown.
                    }
                }
            }
        }
        try await group.waitForAll()
    }
    let elapsed = seconds(since: start)
    return Double(decisionCallers * decisionsPerCaller) / elapsed
}

/// CPU µs of one Ed25519 signature over a token-sized signing input (~950 bytes, like an
/// `aa-auth+jwt` with an Ed25519 `cnf.jwk`) through the public API, on this thread: the crypto
/// floor of a grant, subtracted from the grant's CPU to show what MissionCore adds around it.
func measureTokenSignature() throws -> Double {
    let key = try Ed25519.PrivateKey()
    let input = [UInt8](repeating: UInt8(ascii: "e"), count: 950)
    let count = 4_000
    let before = cpuSeconds()
    // An OpenSSL call the optimizer cannot drop.
    for _ in 0..<count { _ = try key.signature(for: input) }
    return (cpuSeconds() - before) / Double(count) * 1e6
}

/// Writes `trailEvents` chained events straight into a fresh MA database (one transaction).
func buildTrail(in directory: String) async throws -> [String] {
    let authority = try await MissionAuthority.open(dataDirectory: directory, settings: try settings())
    authority.close()
    var handle: OpaquePointer?
    guard sqlite3_open(directory + "/ma.sqlite", &handle) == SQLITE_OK, let db = handle else { fatalError("open") }
    defer { sqlite3_close(db) }
    sqlite3_exec(db, "PRAGMA synchronous = OFF; BEGIN", nil, nil, nil)
    let missions = (0..<trailMissions).map { Base64URL.encode(SHA256.hash(Array("mission \($0)".utf8))) }
    var chain = AuditChain()
    do {
        try TrailWriter.append(
            0..<trailEvents, into: db, chain: &chain, missions: missions,
            start: Date(timeIntervalSince1970: 1_780_000_000), resource: "https://api.example",
            actor: { "aauth:agent\($0 % 97)@agent.example" }, tokenID: { "jti-\($0)" })
    } catch {
        fatalError(error.description)
    }
    sqlite3_exec(db, "COMMIT", nil, nil, nil)
    return missions
}

/// CPU seconds this process has used (user + system), to read results on a shared machine.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
}

func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
}

var rows: [(String, String, String)] = []
if environment["MC_BENCH_SKIP_DECISIONS"] != "1" {
    if environment["MC_BENCH_SKIP_DENIED"] != "1" {
        let cpuBefore = cpuSeconds()
        let denied = try await measureDecisions(granted: false)
        let deniedCPU = (cpuSeconds() - cpuBefore) / Double(decisionCallers * decisionsPerCaller) * 1e6
        rows.append(
            (
                "Durable decisions/s (denied: evaluate + audit + commit), 64 callers", String(format: "%.0f", denied),
                "≥ 20,000"
            ))
        rows.append(("  CPU per durable decision, all threads (µs)", String(format: "%.1f", deniedCPU), "—"))
    }
    if environment["MC_BENCH_SKIP_GRANTS"] != "1" {
        let grantCPUBefore = cpuSeconds()
        let grants = try await measureDecisions(granted: true)
        let grantCPU = (cpuSeconds() - grantCPUBefore) / Double(decisionCallers * decisionsPerCaller) * 1e6
        rows.append(
            (
                "Durable grants/s (+ Ed25519 token, issued_tokens, edge), 64 callers", String(format: "%.0f", grants),
                "—"
            ))
        rows.append(("  CPU per durable grant, all threads (µs)", String(format: "%.1f", grantCPU), "—"))
        let signCPU = try measureTokenSignature()
        rows.append(("  of which the Ed25519 token signature, one thread (µs)", String(format: "%.1f", signCPU), "—"))
        rows.append(("  CPU per durable grant beside that signature (µs)", String(format: "%.1f", grantCPU - signCPU), "—"))
    }
}
if environment["MC_BENCH_SKIP_TRAIL"] != "1" {

    let trailDirectory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: trailDirectory) }
    let buildStart = ContinuousClock.now
    let missions = try await buildTrail(in: trailDirectory)
    rows.append(
        ("Bulk build of the \(trailEvents)-event trail (s)", String(format: "%.1f", seconds(since: buildStart)), "—"))
    let authority = try await MissionAuthority.open(dataDirectory: trailDirectory, settings: try settings())
    var timings: [Double] = []
    for index in 0..<pageReads {
        let mission = missions[(index * 7919) % missions.count]
        let start = ContinuousClock.now
        let page = try authority.audit(mission: mission, limit: 50)
        timings.append(seconds(since: start) * 1000)
        precondition(page.items.count == 50, "a benchmark mission has 50 events")
    }
    timings.sort()
    rows.append(("Audit page of 50 events, median (ms)", String(format: "%.3f", percentile(timings, 0.5)), "< 1"))
    rows.append(("Audit page of 50 events, p99 (ms)", String(format: "%.3f", percentile(timings, 0.99)), "—"))
    let verifyStart = ContinuousClock.now
    let verifyCPUBefore = cpuSeconds()
    let verification = try await authority.verifyAuditChain()
    let verifySeconds = seconds(since: verifyStart)
    let verifyCPU = cpuSeconds() - verifyCPUBefore
    precondition(verification == .ok(count: trailEvents), "the benchmark chain must verify")
    rows.append(("Verify the \(trailEvents)-event chain (s)", String(format: "%.2f", verifySeconds), "< 5"))
    rows.append(("  CPU used by that verification, all threads (s)", String(format: "%.2f", verifyCPU), "—"))
    authority.close()
}

print("Load average at the end (2 cores): \(loadAverage())")
print("| MissionCore measurement | value | goal |")
print("|---|---|---|")
for row in rows { print("| \(row.0) | \(row.1) | \(row.2) |") }
