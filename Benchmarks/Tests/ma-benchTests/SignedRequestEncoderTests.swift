import HTTPKit
import MissionCore
import Testing

@testable import ma_bench

@Suite("SignedRequestEncoder")
struct SignedRequestEncoderTests {
    static let seed = String(repeating: "5a", count: 32)

    /// A factory and agents as a run has them after setup (a mission `s256` each).
    static func agents() throws -> (RequestFactory, [BenchAgent]) {
        let factory = RequestFactory(
            authority: "127.0.0.1:18480", adminKey: "ma_test_key", resource: "https://api.bench.example", run: "t3st")
        let provider = try BenchProvider(issuer: "https://agents.bench.example", seedHex: seed)
        var hwk = try BenchAgent(index: 0, run: "t3st", provider: nil)
        var jwt = try BenchAgent(index: 1, run: "t3st", provider: provider)
        hwk.missionS256 = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg"
        jwt.missionS256 = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdE"
        return (factory, [hwk, jwt])
    }

    /// The startup self-check: every signed kind and a poll, hwk and jwt, byte for byte against BenchAgent.sign.
    @Test func writesTheBytesOfTheGeneralPath() throws {
        let (factory, agents) = try Self.agents()
        try SignedRequestEncoder.selfCheck(agents: agents, factory: factory)
    }

    /// The signature the encoder writes verifies over the base MessageSigner builds for the request it wrote, and
    /// fails over a base with another `created`.
    @Test func signatureVerifiesOverTheSignatureBase() throws {
        let (factory, agents) = try Self.agents()
        let load = LoadAgent(agents[0], index: 0, factory: factory)
        let signer = try LoadSigner(agents: [load])
        var encoder = try SignedRequestEncoder(authority: factory.authority)
        var out: [UInt8] = []
        try encoder.writeSigned(
            .grant, agent: load, signer: signer, worker: 7, number: 1, created: 1_800_000_000, into: &out)
        let text = String(decoding: out, as: UTF8.self)
        let head = try #require(text.components(separatedBy: "\r\n\r\n").first)
        let fields = head.components(separatedBy: "\r\n").dropFirst().map { line -> (String, String) in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), String(line[line.index(colon, offsetBy: 2)...]))
        }
        let signatureField = try #require(fields.first { $0.0 == "Signature" }?.1)
        let signature = try #require(Base64.decode(signatureField.dropFirst(5).dropLast()))
        func base(created: Int64) throws -> [UInt8] {
            let lookup = fields
            let components = SignedRequestComponents(
                method: "POST", scheme: "http", authority: factory.authority, requestTarget: "/token",
                fieldValues: { name in lookup.filter { $0.0.lowercased() == name }.map(\.1) })
            return try MessageSigner(
                label: "sig", components: [.method, .authority, .path, .contentType, .contentDigest, .signatureKey],
                parameters: SignatureParameters(created: created), request: components
            ).base.bytes
        }
        #expect(agents[0].key.publicKey.isValidSignature(signature, for: try base(created: 1_800_000_000)))
        #expect(!agents[0].key.publicKey.isValidSignature(signature, for: try base(created: 1_800_000_001)))
    }

    /// Each request's body is unique (serial `worker-number`), so each signature is fresh.
    @Test func bodiesCarryTheSerial() throws {
        let (factory, agents) = try Self.agents()
        let load = LoadAgent(agents[1], index: 0, factory: factory)
        let signer = try LoadSigner(agents: [load])
        var encoder = try SignedRequestEncoder(authority: factory.authority)
        var first: [UInt8] = []
        var second: [UInt8] = []
        try encoder.writeSigned(.deny, agent: load, signer: signer, worker: 3, number: 41, created: 1, into: &first)
        try encoder.writeSigned(.deny, agent: load, signer: signer, worker: 3, number: 42, created: 1, into: &second)
        #expect(String(decoding: first, as: UTF8.self).hasSuffix("\"justification\":\"ma-bench t3st 3-41\"}"))
        #expect(first != second)
    }

    /// RFC 4648 §10 test vectors.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func base64(input: String, expected: String) {
        var out: [UInt8] = [UInt8(ascii: ">")]
        SignedRequestEncoder.appendBase64(Array(input.utf8), to: &out)
        #expect(String(decoding: out, as: UTF8.self) == ">" + expected)
    }

    @Test(arguments: [0, 7, 10, 99, 1_000, 1_767_225_600, Int.max])
    func decimal(value: Int) {
        var out: [UInt8] = []
        SignedRequestEncoder.appendDecimal(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == String(value))
    }
}
