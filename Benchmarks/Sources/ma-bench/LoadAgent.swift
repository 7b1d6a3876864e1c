import MissionCore

/// One agent's request material as bytes, computed once before the load so that each request only fills in its
/// serial, digest, `created` and signature: the body text around the serial for each signed kind, the
/// `Signature-Key` field value, and the admin reads whole (they are constant).
final class LoadAgent: Sendable {
    /// A body with the request's serial between `prefix` and `suffix` (RequestFactory's text, as bytes).
    struct Body: Sendable {
        let prefix: [UInt8]
        let suffix: [UInt8]

        init(_ parts: (prefix: String, suffix: String)) {
            prefix = Array(parts.prefix.utf8)
            suffix = Array(parts.suffix.utf8)
        }
    }

    /// The agent's position in the run's list (its signing context in `LoadSigner`).
    let index: Int
    let key: Ed25519.PrivateKey
    /// The `Signature-Key` field value (wire notes §1.2), covered by every signature.
    let signatureKey: [UInt8]
    let grant: Body
    let deny: Body
    let proposeAuto: Body
    let proposeDeferred: Body
    /// The admin reads, serialized whole (no signature: the admin key is a bearer token).
    let controlList: [UInt8]
    let controlAudit: [UInt8]

    init(_ agent: BenchAgent, index: Int, factory: RequestFactory) {
        self.index = index
        key = agent.key
        signatureKey = Array(agent.signatureKeyField.utf8)
        grant = Body(factory.tokenBody(agent: agent, scope: "read"))
        deny = Body(factory.tokenBody(agent: agent, scope: "admin"))
        proposeAuto = Body(factory.proposalBody(resource: factory.resource))
        proposeDeferred = Body(factory.proposalBody(resource: RequestFactory.deferredResource))
        controlList = RequestBytes.serialize(factory.controlList(), authority: factory.authority)
        controlAudit = RequestBytes.serialize(factory.controlAudit(agent: agent), authority: factory.authority)
    }

    /// The body template of a signed kind; nil for the admin reads.
    func body(for kind: RequestKind) -> Body? {
        switch kind {
        case .grant: grant
        case .deny: deny
        case .proposeAuto: proposeAuto
        case .proposeDeferred: proposeDeferred
        case .controlList, .controlAudit: nil
        }
    }
}
