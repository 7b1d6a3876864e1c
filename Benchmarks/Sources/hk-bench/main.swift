import Foundation
import Glibc
import HTTPKit
import MissionCore

// hk-bench: thread CPU time per `VerifiableSignature(request:hasBody:now:policy:)` on the request ma-bench sends as
// a token request (an `hwk` agent: POST /token, `@method @authority @path content-type content-digest
// signature-key`, `created`), built the way `BenchAgent.sign` builds it and read the way `AgentAuthenticator`
// reads it. Prints numbers only. Build with `swift build -c release --product hk-bench`; run on a quiet machine.
// Arguments: [calls per round, default 200000] [rounds, default 7]. Two more timed sections follow: the
// Content-Digest check as `AgentAuthenticator.checkContentDigest` runs it (lookup, parse, pick, SHA-256, constant-time
// compare) and the header lookups `VerifiableSignature` and the authenticator make per request.

/// CPU time of the calling thread in nanoseconds (CLOCK_THREAD_CPUTIME_ID: immune to other processes' load).
func threadCPUNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let calls = arguments.first ?? 200_000
let rounds = arguments.dropFirst().first ?? 7

let key = try Ed25519.PrivateKey()
let inline = InlinePublicKey(
    kty: "OKP", crv: "Ed25519", x: Base64URL.encode(key.publicKey.rawRepresentation),
    alg: JWSAlgorithm.ed25519.rawValue)
let authority = "127.0.0.1:8443"
let body = Array(
    ("{\"mission_s256\":\"" + String(repeating: "A", count: 43) + "\",\"resource\":\"https://api.bench.example\","
        + "\"scope\":\"read\",\"justification\":\"ma-bench run-1 000000001\"}").utf8)
let now: Int64 = 1_764_000_000

var fields: [(String, String)] = [
    ("Host", authority), ("Content-Type", "application/json"),
    ("Content-Digest", ContentDigest.fieldValue(algorithm: .sha256, digest: SHA256.hash(body))),
    ("Signature-Key", "sig=" + inline.memberValue),
]
let snapshot = fields
let signing = SignedRequestComponents(
    method: "POST", scheme: "http", authority: authority, requestTarget: "/token",
    fieldValues: { name in snapshot.filter { $0.0.lowercased() == name }.map(\.1) })
let signer = try MessageSigner(
    label: "sig", components: [.method, .authority, .path, .contentType, .contentDigest, .signatureKey],
    parameters: SignatureParameters(created: now), request: signing)
fields.append(("Signature-Input", signer.signatureInputFieldValue))
fields.append(("Signature", signer.signatureFieldValue(signature: try key.signature(for: signer.base.bytes))))
let headers = HTTPHeaders(fields)
// As AgentAuthenticator.authenticate builds them.
let components = SignedRequestComponents(
    method: "POST", scheme: "http", authority: authority.lowercased(), path: "/token", query: nil,
    fieldValues: { headers.values(for: $0) })
let policy = SignaturePolicy()

// One check that the request is the accepted one, outside the timed loops.
let prepared = try VerifiableSignature(request: components, hasBody: true, now: now, policy: policy)
guard key.publicKey.isValidSignature(prepared.signature, for: prepared.base.bytes) else {
    print("hk-bench: the prepared base does not verify")
    exit(1)
}

var sink = 0

/// Runs `body` `calls` times per round and prints the per-call thread CPU time in µs.
/// `HK_BENCH_ONLY=<label>` runs only the section with exactly that label: with `perf stat -e probe_libc:malloc` and
/// two call counts, the difference gives the mallocs of one call (exact, unlike sampled call graphs).
let onlyLabel = ProcessInfo.processInfo.environment["HK_BENCH_ONLY"]

@MainActor func timed(_ label: String, _ body: () throws -> Int) rethrows {
    if let onlyLabel, label != onlyLabel { return }
    var perCall: [Double] = []
    for _ in 0..<rounds {
        let start = threadCPUNanoseconds()
        for _ in 0..<calls { sink &+= try body() }
        perCall.append(Double(threadCPUNanoseconds() - start) / Double(calls) / 1000)
    }
    let sorted = perCall.sorted()
    print("\(label) µs/call: median \(sorted[sorted.count / 2]) min \(sorted[0]) rounds \(perCall)")
}

try timed("VerifiableSignature.init") {
    try VerifiableSignature(request: components, hasBody: true, now: now, policy: policy).base.bytes.count
}

/// The Content-Digest check as `AgentAuthenticator.checkContentDigest` runs it on an accepted request.
@MainActor func contentDigestMatches() throws -> Int {
    let lines = headers.values(for: "Content-Digest")
    let value = lines.count == 1 ? lines[0] : lines.joined(separator: ", ")
    let expected = try ContentDigest(parsing: value).expectedDigest()
    let actual = expected.algorithm == .sha256 ? SHA256.hash(body) : SHA512.hash(body)
    return ConstantTime.equals(actual, expected.digest) ? 1 : 0
}
guard try contentDigestMatches() == 1 else {
    print("hk-bench: the Content-Digest does not match")
    exit(1)
}
try timed("Content-Digest check", contentDigestMatches)

// The lookups of one token request: the authenticator's Host and Content-Digest, the base's covered fields, and
// Signature-Input, Signature and Signature-Key (twice) while preparing.
let lookedUp = [
    "Host", "Signature-Input", "Signature", "Signature-Key", "Signature-Key", "content-type", "content-digest",
    "signature-key", "Content-Digest",
]
timed("HTTPHeaders.values(for:) x\(lookedUp.count)") {
    var count = 0
    for name in lookedUp { count &+= headers.values(for: name).count }
    return count
}
// The same preparation on components that read the header list in place (`init(…headers:)`): a field sent once is
// looked up without an array.
let listComponents = SignedRequestComponents(
    method: "POST", scheme: "http", authority: authority.lowercased(), path: "/token", query: nil, headers: headers)
try timed("VerifiableSignature.init (headers:)") {
    try VerifiableSignature(request: listComponents, hasBody: true, now: now, policy: policy).base.bytes.count
}
timed("HTTPHeaders.combinedValue(for:) x\(lookedUp.count)") {
    var count = 0
    for name in lookedUp { count &+= headers.combinedValue(for: name)?.utf8.count ?? 0 }
    return count
}

for (label, name) in [
    ("SF Signature-Input", "Signature-Input"), ("SF Signature", "Signature"), ("SF Signature-Key", "Signature-Key"),
] {
    let value = headers.values(for: name)[0]
    try timed(label) { try StructuredField.parseDictionary(value).count }
}
// The token request on the wire, parsed as a keep-alive connection parses it (the parser of the previous request,
// whose field Strings it may reuse) and by a new parser each time (nothing to reuse).
var wire = Array("POST /token HTTP/1.1\r\n".utf8)
for (name, value) in fields { wire += Array("\(name): \(value)\r\n".utf8) }
wire += Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
var keepAliveParser = HTTPRequestParser()
@MainActor func parseOne(_ parser: inout HTTPRequestParser) throws -> Int {
    parser.append(wire)
    guard case .request(let request)? = try parser.next() else { return 0 }
    return request.headers.count
}
guard try parseOne(&keepAliveParser) == fields.count + 1 else {
    print("hk-bench: the wire request does not parse")
    exit(1)
}
try timed("HTTPRequestParser, keep-alive") { try parseOne(&keepAliveParser) }
try timed("HTTPRequestParser, new parser") {
    var parser = HTTPRequestParser()
    return try parseOne(&parser)
}
print("(checksum \(sink))")
