import Foundation
import HTTPKit
import MissionCore

@testable import MAServer

/// An agent that signs its requests for real (RFC 9421 with HTTPKit's `MessageSigner` and
/// MissionCore's Ed25519), conveying its key as `hwk` or inside an agent token (`jwt`) minted by
/// the test agent provider whose JWKS the test configuration pins.
struct TestAgent: Sendable {
    /// The agent provider's issuer and signing key: RFC 8032 §7.1 TEST 2, as in the shared vectors.
    static let providerIssuer = "https://agent.example"
    static let providerJWKS =
        #"{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "PUAXw-hDiVqStwqnTRt-vJyYLM8uxJaMwM1V8Sr0Zgw", "alg": "Ed25519", "kid": "ap-key-1", "use": "sig"}]}"#
    static let providerSeed = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"

    let key: Ed25519.PrivateKey
    let jwk: JWK
    /// The agent token, for the `jwt` scheme; `nil` signs with `hwk`.
    let agentToken: String?
    /// The identifier the MA sees.
    let id: String

    /// A fresh key conveyed bare (`hwk`): identity `urn:jkt:sha-256:<thumbprint>`.
    static func hwk() throws -> TestAgent {
        let key = try Ed25519.PrivateKey()
        let jwk = JWK(publicKey: key.publicKey, use: nil)
        return TestAgent(key: key, jwk: jwk, agentToken: nil, id: jwk.thumbprintURI())
    }

    /// A fresh key inside an agent token for `sub`, valid for an hour from `now`.
    static func jwt(
        sub: String = "aauth:assistant-\(UUID().uuidString.prefix(8).lowercased())@agent.example", now: Date
    )
        throws -> TestAgent
    {
        let key = try Ed25519.PrivateKey()
        let jwk = JWK(publicKey: key.publicKey, use: nil)
        let iat = Int64(now.timeIntervalSince1970) - 60
        let claims: [String: MissionCore.JSONValue] = [
            "iss": .string(providerIssuer), "dwk": "aauth-agent.json", "sub": .string(sub),
            "jti": .string(UUID().uuidString), "cnf": .object(["jwk": jwk.jsonValue]), "iat": .integer(iat),
            "exp": .integer(iat + 3600),
        ]
        let provider = try Ed25519.PrivateKey(rawRepresentation: hexBytes(providerSeed))
        let token = try JWTSigner(key: .ed25519(provider), keyID: "ap-key-1").sign(claims: claims, type: "aa-agent+jwt")
        return TestAgent(key: key, jwk: jwk, agentToken: token, id: sub)
    }

    /// The `Signature-Key` member value.
    var signatureKey: String {
        if let agentToken { return #"jwt;jwt=""# + agentToken + #"""# }
        return #"hwk;kty="OKP";crv="Ed25519";x=""# + Base64URL.encode(jwk.x) + #"";alg="Ed25519""#
    }

    /// A signed request. `created` defaults to `clock`'s now; a random `nonce` keeps two otherwise
    /// identical requests in the same second distinct (the MA refuses replays). `tamper` replaces
    /// the body after signing.
    func request(
        _ method: HTTPMethod, _ target: String, json body: String? = nil, host: String = TestMA.authority,
        created: Date, headers extra: [(String, String)] = [], tamper: String? = nil, nonce: String? = nil
    ) throws -> HTTPRequest {
        let bytes = body.map { Array($0.utf8) } ?? []
        var fields: [(String, String)] = [("Host", host)]
        if !bytes.isEmpty {
            fields.append(("Content-Type", "application/json"))
            fields.append(("Content-Digest", ContentDigest.fieldValue(algorithm: .sha256, digest: SHA256.hash(bytes))))
        }
        fields.append(("Signature-Key", "sig=" + signatureKey))
        let covered: [ComponentIdentifier] =
            [.method, .authority, .path] + (bytes.isEmpty ? [] : [.contentType, .contentDigest]) + [.signatureKey]
        let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? target
        let snapshot = fields
        let components = SignedRequestComponents(
            method: method.rawValue, scheme: "https", authority: host.lowercased(), path: path, query: nil,
            fields: snapshot.map { (name: $0.0, value: $0.1) })
        let signer = try MessageSigner(
            label: "sig", components: covered,
            parameters: SignatureParameters(
                created: Int64(created.timeIntervalSince1970), nonce: nonce ?? UUID().uuidString),
            request: components)
        let signature = try key.signature(for: signer.base.bytes)
        fields.append(("Signature-Input", signer.signatureInputFieldValue))
        fields.append(("Signature", signer.signatureFieldValue(signature: signature)))
        fields.append(contentsOf: extra)
        return HTTPRequest(
            method: method, target: target, headers: HTTPHeaders(fields), body: tamper.map { Array($0.utf8) } ?? bytes,
            remoteAddress: "192.0.2.10:40000")
    }
}

func hexBytes(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
        index = next
    }
    return bytes
}
