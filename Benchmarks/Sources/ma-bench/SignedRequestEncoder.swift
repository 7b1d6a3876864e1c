import HTTPKit
import MissionCore

/// Writes the load's requests as bytes, signed for real, into a caller's reusable buffer: the same bytes
/// `BenchAgent.sign` and HTTPKit's `HTTPClient` produce (the self-check proves it at startup), without building
/// an `HTTPRequest`, `HTTPHeaders`, a `MessageSigner` or any `String` per request.
///
/// The AAuth profile of RFC 9421 that BenchAgent signs under: covered `@method @authority @path`, plus
/// `content-type content-digest` with a body, plus `signature-key`; parameters `created` (this second) and, on a
/// body-less request, a random `nonce`. The base (RFC 9421 §2.5) is one `"<identifier>": <value>` line per
/// component and the `"@signature-params"` line, joined by LF.
///
/// One encoder per load thread: it keeps scratch buffers between requests.
struct SignedRequestEncoder {
    /// `Host` as sent, and `@authority` as signed (RFC 9421 §2.2.3: lowercase, default port removed).
    private let host: [UInt8]
    private let authority: [UInt8]
    /// The covered components' Inner List for a request with a body, and for one without (RFC 8941 §4.1.1.1).
    private let bodyComponents: [UInt8]
    private let bodylessComponents: [UInt8]
    /// The constant starts of the base and of the request, per target with a body.
    private let tokenBase: [UInt8]
    private let tokenHead: [UInt8]
    private let missionBase: [UInt8]
    private let missionHead: [UInt8]

    private var body: [UInt8] = []
    private var base: [UInt8] = []
    private var digest: [UInt8] = []
    private var parameters: [UInt8] = []

    /// An encoder for requests to `authority` (host and port, as in `Host`).
    init(authority: String) throws(SignatureError) {
        host = Array(authority.utf8)
        let normalized = SignedRequestComponents(
            method: "GET", scheme: "http", authority: authority, requestTarget: "/", fieldValues: { _ in [] }
        ).normalizedAuthority
        self.authority = Array(normalized.utf8)
        let withBody: [ComponentIdentifier] = [
            .method, .authority, .path, .contentType, .contentDigest, .signatureKey,
        ]
        let withoutBody: [ComponentIdentifier] = [.method, .authority, .path, .signatureKey]
        bodyComponents = Array(
            try SignatureInput(label: BenchAgent.label, components: withBody, parameters: .init(created: nil))
                .canonicalValue.utf8)
        bodylessComponents = Array(
            try SignatureInput(label: BenchAgent.label, components: withoutBody, parameters: .init(created: nil))
                .canonicalValue.utf8)
        func basePrefix(_ path: String) -> [UInt8] {
            Array(
                ("\"@method\": POST\n\"@authority\": \(normalized)\n\"@path\": \(path)\n"
                    + "\"content-type\": application/json\n\"content-digest\": ").utf8)
        }
        func headPrefix(_ path: String) -> [UInt8] {
            Array(
                "POST \(path) HTTP/1.1\r\nHost: \(authority)\r\nContent-Type: application/json\r\nContent-Digest: ".utf8
            )
        }
        tokenBase = basePrefix("/token")
        tokenHead = headPrefix("/token")
        missionBase = basePrefix("/mission")
        missionHead = headPrefix("/mission")
        body.reserveCapacity(512)
        base.reserveCapacity(1024)
        digest.reserveCapacity(64)
        parameters.reserveCapacity(160)
    }

    /// Replaces `out` with the signed request of `kind` (a token request or a proposal; the admin reads are
    /// `LoadAgent`'s constants) whose body carries the serial `worker-number`.
    mutating func writeSigned(
        _ kind: RequestKind, agent: LoadAgent, signer: LoadSigner, worker: Int, number: Int, created: Int64,
        into out: inout [UInt8]
    ) throws(BenchError) {
        let template: LoadAgent.Body
        let isToken: Bool
        switch kind {
        case .grant: (template, isToken) = (agent.grant, true)
        case .deny: (template, isToken) = (agent.deny, true)
        case .proposeAuto: (template, isToken) = (agent.proposeAuto, false)
        case .proposeDeferred: (template, isToken) = (agent.proposeDeferred, false)
        case .controlList, .controlAudit: preconditionFailure("admin reads are not signed")
        }
        body.removeAll(keepingCapacity: true)
        body.append(contentsOf: template.prefix)
        Self.appendDecimal(worker, to: &body)
        body.append(UInt8(ascii: "-"))
        Self.appendDecimal(number, to: &body)
        body.append(contentsOf: template.suffix)

        // RFC 9530 §2: `sha-256=:<base64 of the SHA-256 of the content>:`.
        digest.removeAll(keepingCapacity: true)
        digest.append(contentsOf: "sha-256=:".utf8)
        try signer.hash(body)
        Self.appendBase64(signer.digest, to: &digest)
        digest.append(UInt8(ascii: ":"))

        parameters.removeAll(keepingCapacity: true)
        parameters.append(contentsOf: bodyComponents)
        parameters.append(contentsOf: ";created=".utf8)
        Self.appendDecimal(Int(created), to: &parameters)

        base.removeAll(keepingCapacity: true)
        base.append(contentsOf: isToken ? tokenBase : missionBase)
        base.append(contentsOf: digest)
        appendBaseTail(agent: agent)
        try signer.sign(base, agent: agent.index)

        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: isToken ? tokenHead : missionHead)
        out.append(contentsOf: digest)
        appendSignatureFields(agent: agent, signature: signer.signature, to: &out)
        out.append(contentsOf: "\r\nContent-Length: ".utf8)
        Self.appendDecimal(body.count, to: &out)
        out.append(contentsOf: "\r\n\r\n".utf8)
        out.append(contentsOf: body)
    }

    /// Replaces `out` with a signed poll of `target` (an origin-form target of request-target characters, as the
    /// caller checked), with `nonce` (base64url) because the request has no body to make it unique.
    mutating func writePoll(
        target: some Collection<UInt8>, agent: LoadAgent, signer: LoadSigner, created: Int64, nonce: [UInt8],
        into out: inout [UInt8]
    ) throws(BenchError) {
        parameters.removeAll(keepingCapacity: true)
        parameters.append(contentsOf: bodylessComponents)
        parameters.append(contentsOf: ";created=".utf8)
        Self.appendDecimal(Int(created), to: &parameters)
        parameters.append(contentsOf: ";nonce=\"".utf8)
        parameters.append(contentsOf: nonce)
        parameters.append(UInt8(ascii: "\""))

        base.removeAll(keepingCapacity: true)
        base.append(contentsOf: "\"@method\": GET\n\"@authority\": ".utf8)
        base.append(contentsOf: authority)
        base.append(contentsOf: "\n\"@path\": ".utf8)
        // RFC 9421 §2.2.6: the path without the query; `/` when empty.
        let path = target.prefix { $0 != UInt8(ascii: "?") }
        if path.isEmpty { base.append(UInt8(ascii: "/")) } else { base.append(contentsOf: path) }
        appendBaseTail(agent: agent)
        try signer.sign(base, agent: agent.index)

        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: "GET ".utf8)
        out.append(contentsOf: target)
        out.append(contentsOf: " HTTP/1.1\r\nHost: ".utf8)
        out.append(contentsOf: host)
        appendSignatureFields(agent: agent, signature: signer.signature, to: &out)
        out.append(contentsOf: "\r\n\r\n".utf8)
    }

    /// The base's `signature-key` and `@signature-params` lines.
    private mutating func appendBaseTail(agent: LoadAgent) {
        base.append(contentsOf: "\n\"signature-key\": ".utf8)
        base.append(contentsOf: agent.signatureKey)
        base.append(contentsOf: "\n\"@signature-params\": ".utf8)
        base.append(contentsOf: parameters)
    }

    /// `Signature-Key`, `Signature-Input` and `Signature` (RFC 9421 §4.1, §4.2), each on its own line, without
    /// the last line's CRLF.
    private func appendSignatureFields(agent: LoadAgent, signature: [UInt8], to out: inout [UInt8]) {
        out.append(contentsOf: "\r\nSignature-Key: ".utf8)
        out.append(contentsOf: agent.signatureKey)
        out.append(contentsOf: "\r\nSignature-Input: sig=".utf8)
        out.append(contentsOf: parameters)
        out.append(contentsOf: "\r\nSignature: sig=:".utf8)
        Self.appendBase64(signature, to: &out)
        out.append(UInt8(ascii: ":"))
    }

    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Padded standard base64 (RFC 4648 §4), the encoding of an RFC 8941 Byte Sequence.
    static func appendBase64(_ bytes: [UInt8], to out: inout [UInt8]) {
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            index += 3
        }
        switch bytes.count - index {
        case 1:
            let n = UInt32(bytes[index]) << 16
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(contentsOf: "==".utf8)
        case 2:
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(UInt8(ascii: "="))
        default:
            break
        }
    }

    /// `value` in decimal digits (`value` ≥ 0).
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        precondition(value >= 0, "serials and timestamps are not negative")
        let start = out.count
        var rest = value
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        out[start...].reverse()
    }
}
