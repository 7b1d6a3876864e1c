import Foundation
import HTTPKit
import MissionCore

/// One simulated agent: its Ed25519 key, how it names the key (`hwk`, or `jwt` with an agent token from the test
/// provider), and the mission it works under once setup approved one. Signs every request for real.
struct BenchAgent: Sendable {
    /// How `Signature-Key` names the key (wire notes §1.2).
    enum Identity: Sendable {
        /// The public key inline; the agent is `urn:jkt:sha-256:<thumbprint>`.
        case hwk
        /// An `aa-agent+jwt` whose `cnf.jwk` is the key; the agent is the token's `sub`.
        case agentToken(String)
    }

    /// The signature label (RFC 9421 §4.1).
    static let label = "sig"

    let key: Ed25519.PrivateKey
    let identity: Identity
    /// The agent identifier the MA will see.
    let agentID: String
    /// The public JWK (with `alg`), as registered through `POST /agents`.
    let jwk: JWK
    /// The precomputed `Signature-Key` field value.
    let signatureKeyField: String
    /// The approved mission's `s256`, once setup has one.
    var missionS256 = ""

    /// A fresh key; `jwt` agents get a token from `provider` valid for `lifetime` seconds.
    init(index: Int, run: String, provider: BenchProvider?, lifetime: Int64 = 3600) throws {
        key = try Ed25519.PrivateKey()
        jwk = JWK(publicKey: key.publicKey)
        if let provider {
            agentID = "bench-jwt-\(run)-\(index)"
            let token = try provider.agentToken(subject: agentID, key: jwk, lifetime: lifetime)
            identity = .agentToken(token)
            signatureKeyField = try SignatureKeyField.jwtFieldValue(label: Self.label, token: token)
        } else {
            agentID = jwk.thumbprintURI()
            identity = .hwk
            let inline = InlinePublicKey(
                kty: "OKP", crv: "Ed25519", x: Base64URL.encode(key.publicKey.rawRepresentation),
                alg: JWSAlgorithm.ed25519.rawValue)
            signatureKeyField = "\(Self.label)=\(inline.memberValue)"
        }
    }

    var isHWK: Bool {
        if case .hwk = identity { return true }
        return false
    }

    /// A request signed under the AAuth profile of RFC 9421: `@method @authority @path`, plus
    /// `content-type content-digest` with a body, plus `signature-key`; `created` is this second.
    /// A body-less request gets a random `nonce`, since Ed25519 is deterministic and the MA refuses
    /// a byte-identical signature as a replay (Docs/Interop.md §6); bodies are made unique by the caller.
    /// `created` and `nonce` are for the load client's self-check, which compares its bytes with these.
    func sign(
        method: HTTPMethod, target: String, authority: String, body: [UInt8] = [], created: Int64? = nil,
        nonce fixedNonce: String? = nil
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
        fields.append(("Signature-Key", signatureKeyField))
        let snapshot = fields
        let components = SignedRequestComponents(
            method: method.rawValue, scheme: "http", authority: authority, requestTarget: target,
            fieldValues: { name in snapshot.filter { $0.0.lowercased() == name }.map(\.1) })
        let nonce = body.isEmpty ? fixedNonce ?? Base64URL.encode(SecureRandom.bytes(count: 12)) : nil
        let signer = try MessageSigner(
            label: Self.label, components: covered,
            parameters: SignatureParameters(created: created ?? Int64(Date().timeIntervalSince1970), nonce: nonce),
            request: components)
        let signature = try key.signature(for: signer.base.bytes)
        fields.append(("Signature-Input", signer.signatureInputFieldValue))
        fields.append(("Signature", signer.signatureFieldValue(signature: signature)))
        return HTTPRequest(method: method, target: target, headers: HTTPHeaders(fields), body: body)
    }
}

/// The test agent provider the MA pins (`agent_providers[].jwks`): an Ed25519 key derived from `--provider-seed`.
struct BenchProvider: Sendable {
    static let keyID = "bench-provider-1"

    let issuer: String
    let key: Ed25519.PrivateKey

    /// `seedHex`: 64 hex digits.
    init(issuer: String, seedHex: String) throws(BenchError) {
        var seed: [UInt8] = []
        var digits = Array(seedHex.utf8)[...]
        while digits.count >= 2 {
            guard let byte = UInt8(String(decoding: digits.prefix(2), as: UTF8.self), radix: 16) else { break }
            seed.append(byte)
            digits = digits.dropFirst(2)
        }
        guard seed.count == 32, digits.isEmpty, let key = try? Ed25519.PrivateKey(rawRepresentation: seed) else {
            throw .usage("--provider-seed: 64 hex digits")
        }
        self.issuer = issuer
        self.key = key
    }

    /// The JWK Set to pin in the server configuration.
    var jwksJSON: String {
        "{\"keys\":[" + JWK(publicKey: key.publicKey, keyID: Self.keyID).jsonString + "]}"
    }

    /// An agent token (wire notes §2.2): `typ aa-agent+jwt`, `kid`, `iss`, `sub`, `jti`, `iat`, `exp`, `cnf.jwk`.
    func agentToken(subject: String, key agentKey: JWK, lifetime: Int64) throws -> String {
        let now = Int64(Date().timeIntervalSince1970)
        let claims: [String: JSONValue] = [
            "iss": .string(issuer), "sub": .string(subject),
            "jti": .string(Base64URL.encode(SecureRandom.bytes(count: 16))),
            "iat": .integer(now), "exp": .integer(now + lifetime), "cnf": .object(["jwk": agentKey.jsonValue]),
        ]
        return try JWTSigner(key: .ed25519(key), keyID: Self.keyID).sign(claims: claims, type: "aa-agent+jwt")
    }
}
