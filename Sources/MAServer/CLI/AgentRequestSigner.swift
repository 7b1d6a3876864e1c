import Foundation
import HTTPKit
import MissionCore

/// Signs an agent's requests under the AAuth profile of RFC 9421 (wire notes §1): the signature covers
/// `@method @authority @path signature-key`, plus `content-type content-digest` when there is a body; `created`
/// is the current second and a random `nonce` makes two requests in one second distinct (Ed25519 is
/// deterministic, and the MA refuses a byte-identical signature as a replay).
///
/// ```swift
/// let signer = AgentRequestSigner(key: key, identity: .hwk, authority: "127.0.0.1:8080")
/// let request = try signer.sign(method: .post, target: "/mission", body: body)
/// ```
struct AgentRequestSigner: Sendable {
    /// How the request names its key in `Signature-Key`.
    enum Identity: Equatable, Sendable {
        /// The public key inline: identity `urn:jkt:sha-256:<thumbprint>` (registered, or pseudonymous).
        case hwk
        /// An `aa-agent+jwt` from an agent provider whose `cnf.jwk` is this key: identity the token's `sub`.
        case agentToken(String)
    }

    /// The signature label (RFC 9421 §4.1).
    static let label = "sig"

    let key: AgentKey
    let identity: Identity
    /// `Host` and `@authority`.
    let authority: String

    /// The `Signature-Key` field value.
    func signatureKeyField() throws -> String {
        switch identity {
        case .hwk:
            let inline = InlinePublicKey(
                kty: "OKP", crv: "Ed25519", x: Base64URL.encode(key.privateKey.publicKey.rawRepresentation),
                alg: JWSAlgorithm.ed25519.rawValue)
            return "\(Self.label)=\(inline.memberValue)"
        case .agentToken(let token):
            do { return try SignatureKeyField.jwtFieldValue(label: Self.label, token: token) } catch {
                throw CLIError.invalidArgument("the agent token cannot be sent in Signature-Key: \(error)")
            }
        }
    }

    /// A signed request for `target` (origin form, `/path?query`); `headers` are sent unsigned.
    func sign(
        method: HTTPMethod, target: String, body: [UInt8] = [], headers extra: [(String, String)] = [],
        created: Int64 = Int64(Date().timeIntervalSince1970),
        nonce: String? = Base64URL.encode(SecureRandom.bytes(count: 12))
    ) throws -> HTTPRequest {
        var fields: [(String, String)] = [("Host", authority)]
        var covered: [ComponentIdentifier] = [.method, .authority, .path]
        if !body.isEmpty {
            fields.append(("Content-Type", "application/json"))
            // RFC 9530 §2: the digest of the content as sent.
            fields.append(("Content-Digest", ContentDigest.fieldValue(algorithm: .sha256, digest: SHA256.hash(body))))
            covered += [.contentType, .contentDigest]
        }
        covered.append(.signatureKey)
        fields.append(("Signature-Key", try signatureKeyField()))
        let snapshot = fields
        let components = SignedRequestComponents(
            method: method.rawValue, scheme: "http", authority: authority, requestTarget: target,
            fieldValues: { name in snapshot.filter { $0.0.lowercased() == name }.map(\.1) })
        let signature: [UInt8]
        let signer: MessageSigner
        do {
            signer = try MessageSigner(
                label: Self.label, components: covered, parameters: SignatureParameters(created: created, nonce: nonce),
                request: components)
            signature = try key.privateKey.signature(for: signer.base.bytes)
        } catch {
            throw CLIError.invalidArgument("cannot sign the request: \(error)")
        }
        fields.append(("Signature-Input", signer.signatureInputFieldValue))
        fields.append(("Signature", signer.signatureFieldValue(signature: signature)))
        return HTTPRequest(method: method, target: target, headers: HTTPHeaders(fields + extra), body: body)
    }
}
