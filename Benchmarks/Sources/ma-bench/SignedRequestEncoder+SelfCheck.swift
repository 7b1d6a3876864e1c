import HTTPKit
import MissionCore

extension SignedRequestEncoder {
    /// Proves at startup that the encoder writes exactly the bytes of the general path (`RequestFactory` →
    /// `BenchAgent.sign` → `MessageSigner`, serialized as `HTTPClient` does) for every signed kind and a poll, for
    /// an agent of each identity scheme in the run: same fields, same base, hence the same deterministic
    /// Ed25519 signature. Any difference stops the run before it measures anything.
    static func selfCheck(agents: [BenchAgent], factory: RequestFactory) throws {
        var samples: [BenchAgent] = []
        if let hwk = agents.first(where: \.isHWK) { samples.append(hwk) }
        if let jwt = agents.first(where: { !$0.isHWK }) { samples.append(jwt) }
        var encoder = try SignedRequestEncoder(authority: factory.authority)
        let loadAgents = samples.enumerated().map { LoadAgent($0.element, index: $0.offset, factory: factory) }
        let signer = try LoadSigner(agents: loadAgents)
        var fast: [UInt8] = []
        let created: Int64 = 1_767_225_600
        for (agent, load) in zip(samples, loadAgents) {
            for kind in [RequestKind.grant, .deny, .proposeAuto, .proposeDeferred] {
                try encoder.writeSigned(
                    kind, agent: load, signer: signer, worker: 12, number: 3456, created: created, into: &fast)
                let general = try factory.make(kind, agent: agent, serial: "12-3456", created: created)
                try compare(fast, RequestBytes.serialize(general, authority: factory.authority), "\(kind.rawValue)")
            }
            let location = "/pending/self-check_0123"
            let nonce = Base64URL.encode(SecureRandom.bytes(count: 12))
            try encoder.writePoll(
                target: Array(location.utf8), agent: load, signer: signer, created: created, nonce: Array(nonce.utf8),
                into: &fast)
            let general = try factory.poll(agent: agent, location: location, created: created, nonce: nonce)
            try compare(fast, RequestBytes.serialize(general, authority: factory.authority), "poll")
        }
    }

    private static func compare(_ fast: [UInt8], _ general: [UInt8], _ what: String) throws {
        guard fast != general else { return }
        let at =
            (0..<min(fast.count, general.count)).first { fast[$0] != general[$0] } ?? min(fast.count, general.count)
        let context = { (bytes: [UInt8]) in
            String(decoding: bytes[max(0, at - 40)..<min(bytes.count, at + 40)], as: UTF8.self).debugDescription
        }
        throw BenchError.probe(
            "the load client's \(what) request differs from BenchAgent.sign's at byte \(at): \(context(fast)) "
                + "vs \(context(general))")
    }
}
