import Glibc
import MissionCore

// jp-bench: thread CPU time per `JSONValue.parse` of the token request body ma-bench sends (the MA's
// `POST /token` hot path, read by MAServer's JSONBody with maxDepth 16) and of a typical auth token
// payload (as JWT.init reads claims). Prints numbers only. Build with
// `swift build -c release --product jp-bench`; run on a quiet machine.
// Arguments: [parses per round, default 200000] [rounds, default 7].

/// CPU time of the calling thread in nanoseconds (CLOCK_THREAD_CPUTIME_ID: immune to other processes' load).
func threadCPUNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let calls = arguments.first ?? 200_000
let rounds = arguments.dropFirst().first ?? 7

let body = Array(
    ("{\"mission_s256\":\"" + String(repeating: "A", count: 43) + "\",\"resource\":\"https://api.bench.example\","
        + "\"scope\":\"read\",\"justification\":\"ma-bench run-1 000000001\"}").utf8)
let payload = Array(
    ("{\"aud\":\"https://api.bench.example\",\"cnf\":{\"jwk\":{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\""
        + String(repeating: "B", count: 43) + "\"}},\"dwk\":\"aauth-access.json\",\"exp\":1764003600,"
        + "\"iat\":1764000000,\"iss\":\"https://ma.bench.example\",\"jti\":\"" + String(repeating: "c", count: 22)
        + "\",\"mission\":{\"auth\":\"https://ma.bench.example\",\"s256\":\"" + String(repeating: "D", count: 43)
        + "\"},\"ps\":\"https://ma.bench.example\",\"scope\":\"read\",\"sub\":\"agent:bench-1@agents.example\"}").utf8)

// One check that both inputs are accepted, outside the timed loops.
guard (try JSONValue.parse(body, maxDepth: 16)).objectValue?.count == 4,
    (try JSONValue.parse(payload, maxDepth: 16)).objectValue?.count == 11
else {
    print("jp-bench: unexpected parse result")
    exit(1)
}

/// Times `rounds` rounds of `calls` parses of `input`; returns a checksum so the parses are not optimised away.
func measure(_ name: String, _ input: [UInt8], calls: Int, rounds: Int) throws -> Int {
    var sink = 0
    var perCall: [Double] = []
    for _ in 0..<rounds {
        let start = threadCPUNanoseconds()
        for _ in 0..<calls {
            let value = try JSONValue.parse(input, maxDepth: 16)
            sink &+= value.objectValue?.count ?? 0
        }
        perCall.append(Double(threadCPUNanoseconds() - start) / Double(calls) / 1000)
    }
    let sorted = perCall.sorted()
    print("\(name) µs/parse: median \(sorted[sorted.count / 2]) min \(sorted[0]) rounds \(perCall)")
    return sink
}
let sink =
    try measure("body", body, calls: calls, rounds: rounds)
    &+ measure("jwt-payload", payload, calls: calls, rounds: rounds)
print("(checksum \(sink))")
