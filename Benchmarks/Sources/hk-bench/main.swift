import Glibc
import HTTPKit
import MissionCore

// hk-bench: thread CPU time per `VerifiableSignature(request:hasBody:now:policy:)` on the request ma-bench sends as
// a token request (an `hwk` agent: POST /token, `@method @authority @path content-type content-digest
// signature-key`, `created`), built the way `BenchAgent.sign` builds it and read the way `AgentAuthenticator`
// reads it. Prints numbers only. Build with `swift build -c release --product hk-bench`; run on a quiet machine.
// Arguments: [calls per round, default 200000] [rounds, default 7].

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

var perCall: [Double] = []
var sink = 0
for _ in 0..<rounds {
    let start = threadCPUNanoseconds()
    for _ in 0..<calls {
        let verifiable = try VerifiableSignature(request: components, hasBody: true, now: now, policy: policy)
        sink &+= verifiable.base.bytes.count
    }
    perCall.append(Double(threadCPUNanoseconds() - start) / Double(calls) / 1000)
}
let sorted = perCall.sorted()
print("VerifiableSignature.init µs/call: median \(sorted[sorted.count / 2]) min \(sorted[0]) rounds \(perCall)")
print("(checksum \(sink))")
