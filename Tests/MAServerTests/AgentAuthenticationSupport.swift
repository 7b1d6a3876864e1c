import Foundation
import HTTPKit
import MissionCore

@testable import MAServer

typealias JOSEJSON = MissionCore.JSONValue

/// Keys, tokens and request builders for the agent-authentication tests, built on the shared vectors
/// (`/work/shared/vectors/test-vectors.txt`: RFC 8032 §7.1 TEST 1 is the agent, TEST 2 the agent provider).
enum AgentAuthenticationSupport {
    static let created: Int64 = 1_730_217_600
    static let issuer = "https://agent.example"
    static let authority = "ma.example"
    static let vectorToken =
        "eyJhbGciOiJFZDI1NTE5IiwidHlwIjoiYWEtYWdlbnQrand0Iiwia2lkIjoiYXAta2V5LTEifQ.eyJpc3MiOiJodHRwczovL2FnZW50LmV4YW1wbGUiLCJkd2siOiJhYXV0aC1hZ2VudC5qc29uIiwic3ViIjoiYWF1dGg6YXNzaXN0YW50QGFnZW50LmV4YW1wbGUiLCJqdGkiOiJhdC0wMDAxIiwiY25mIjp7Imp3ayI6eyJrdHkiOiJPS1AiLCJjcnYiOiJFZDI1NTE5IiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8iLCJhbGciOiJFZDI1NTE5In19LCJwcyI6Imh0dHBzOi8vbWEuZXhhbXBsZSIsImlhdCI6MTczMDIxNzAwMCwiZXhwIjoxNzMwMjIwNjAwfQ.55DYbqqc_t8NPVnqXSU-u8oDSPjw9XlGJmovwqgTrsix8ct1ItbfhvvGgj1DuwH1Wzqjdk1noN_UIbY6riGFCw"
    static let vectorBody = ##"{"description":"# Test mission\n\nSummarise three pricing pages."}"##
    static let vectorDigest = "sha-256=:MTOKSm1gbSagtkSGID99Fza+1TnlUGSL0rfJYN8rsAM=:"
    static let vectorInput =
        #"sig=("@method" "@authority" "@path" "content-type" "content-digest" "signature-key");created=1730217600"#
    static let vectorSignature =
        "sig=:zFZ8b9NNt7dfWcl64LQBF1nux2Ohi7gNY3o3DPsQ7gFS6rF95NtudMSjKshusNjU87X1VONSd4y0DtqSnMyeBg==:"
    static let vectorThumbprint = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    static let apJWKS =
        #"{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "PUAXw-hDiVqStwqnTRt-vJyYLM8uxJaMwM1V8Sr0Zgw", "alg": "Ed25519", "kid": "ap-key-1", "use": "sig"}]}"#

    static func agentKey() throws -> Ed25519.PrivateKey {
        try Ed25519.PrivateKey(
            rawRepresentation: hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
    }

    static func providerKey() throws -> Ed25519.PrivateKey {
        try Ed25519.PrivateKey(
            rawRepresentation: hex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"))
    }

    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    static func clock(at seconds: Int64 = created) -> ManualTimeSource {
        ManualTimeSource(Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    static func providers(_ jwks: String = apJWKS) throws -> IssuerKeyRegistry {
        IssuerKeyRegistry(
            pinned: [issuer: try JWKSet(jsonData: Array(jwks.utf8), options: IssuerKeyRegistry.keyParsingOptions)],
            metadataDocument: "aauth-agent.json")
    }

    static func authenticator(
        clock: ManualTimeSource, pseudonymous: Bool = false, registered: Set<String> = [],
        authorities: Set<String> = [authority], notBefore: Int64 = created, providers: IssuerKeyRegistry? = nil
    ) throws -> AgentAuthenticator {
        AgentAuthenticator(
            settings: AgentAuthenticator.Settings(
                acceptedAuthorities: authorities, notBefore: notBefore, allowsPseudonymousAgents: pseudonymous),
            providers: try providers ?? Self.providers(), timeSource: clock,
            isRegisteredKey: { registered.contains($0) })
    }

    /// The vector's `POST /mission` exactly as in test-vectors.txt.
    static func vectorRequest(
        removing removed: String? = nil, body: String = vectorBody, host: String = authority
    ) -> HTTPRequest {
        var fields: [(String, String)] = [
            ("Host", host), ("Content-Type", "application/json"), ("Content-Digest", vectorDigest),
            ("Signature-Input", vectorInput), ("Signature", vectorSignature),
            ("Signature-Key", #"sig=jwt;jwt=""# + vectorToken + #"""#),
        ]
        if let removed { fields.removeAll { $0.0 == removed } }
        return HTTPRequest(method: .post, target: "/mission", headers: HTTPHeaders(fields), body: Array(body.utf8))
    }

    /// Agent-token claims like the vector's, for `mintToken`.
    static func agentClaims(
        key: JWK? = nil, expires: Int64 = created + 3000, issuedAt: Int64 = created - 600
    ) throws -> [String: JOSEJSON] {
        let agentJWK = try key ?? JWK(publicKey: agentKey().publicKey, use: nil)
        return [
            "iss": .string(issuer), "dwk": "aauth-agent.json", "sub": "aauth:assistant@agent.example",
            "jti": "at-0002", "cnf": .object(["jwk": agentJWK.jsonValue]),
            "iat": .integer(issuedAt), "exp": .integer(expires),
        ]
    }

    /// A token signed by the agent provider (or `signer`), with the given header type and claims.
    static func mintToken(
        claims: [String: JOSEJSON], type: String = "aa-agent+jwt", keyID: String = "ap-key-1",
        signer: JOSEPrivateKey? = nil
    ) throws -> String {
        try JWTSigner(key: signer ?? .ed25519(try providerKey()), keyID: keyID).sign(claims: claims, type: type)
    }

    /// A compact JWS over literal header and payload texts signed with the provider key, whatever the header says.
    static func rawToken(header: String, claims: [String: JOSEJSON]) throws -> String {
        let input =
            Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(try CanonicalJSON.encode(.object(claims)))
        return input + "." + Base64URL.encode(try providerKey().signature(for: Array(input.utf8)))
    }

    /// `jwt;jwt="…"`.
    static func jwtMember(_ token: String) -> String { #"jwt;jwt=""# + token + #"""# }

    /// `hwk;…` for a JWK's members, in the given order, with optional overrides (nil removes a member).
    static func hwkMember(_ members: [(String, String?)]) -> String {
        "hwk" + members.compactMap { name, value in value.map { ";\(name)=\"\($0)\"" } }.joined()
    }

    static func hwkMember(for key: JWK, alg: String? = nil) -> String {
        var members: [(String, String?)] = [
            ("kty", key.keyType.rawValue), ("crv", key.curve.rawValue),
            ("x", Base64URL.encode(key.x)),
        ]
        if let y = key.y { members.append(("y", Base64URL.encode(y))) }
        members.append(("alg", alg ?? key.algorithm?.rawValue))
        return hwkMember(members)
    }
}

/// Builds a signed request the way a client does: fields, then the base with HTTPKit's signer, then the signature.
struct SignedRequest {
    enum Encoding { case standard, base64urlUnpadded }

    var method = "POST"
    var path = "/mission"
    var host = AgentAuthenticationSupport.authority
    var body: [UInt8] = Array(AgentAuthenticationSupport.vectorBody.utf8)
    var contentType: String? = "application/json"
    var signatureKey: String
    var label = "sig"
    var components: [ComponentIdentifier]?
    var created = AgentAuthenticationSupport.created
    var expires: Int64?
    var keyID: String?
    var sendsDigest = true
    var digest: String?
    var encoding = Encoding.standard
    /// The authority the client signs, when it differs from the lowercased Host (quirk 3 of Docs/Interop.md).
    var signedAuthority: String?
    /// Replace the body after signing (tampering).
    var bodyAfterSigning: [UInt8]?

    init(signatureKey: String) { self.signatureKey = signatureKey }

    func build(sign: ([UInt8]) throws -> [UInt8]) throws -> HTTPRequest {
        var fields: [(String, String)] = [("Host", host)]
        if let contentType, !body.isEmpty { fields.append(("Content-Type", contentType)) }
        if sendsDigest, !body.isEmpty || digest != nil {
            fields.append(
                ("Content-Digest", digest ?? ContentDigest.fieldValue(algorithm: .sha256, digest: SHA256.hash(body))))
        }
        fields.append(("Signature-Key", "\(label)=\(signatureKey)"))
        let covered =
            components
            ?? ([.method, .authority, .path] + (body.isEmpty ? [] : [.contentType, .contentDigest]) + [.signatureKey])
        let snapshot = fields
        let request = SignedRequestComponents(
            method: method, scheme: signedAuthority == nil ? "https" : "verbatim",
            authority: signedAuthority ?? host.lowercased(), path: path, query: nil,
            fields: snapshot.map { (name: $0.0, value: $0.1) })
        let signer = try MessageSigner(
            label: label, components: covered,
            parameters: SignatureParameters(created: created, expires: expires, keyID: keyID), request: request)
        let signature = try sign(signer.base.bytes)
        fields.append(("Signature-Input", signer.signatureInputFieldValue))
        switch encoding {
        case .standard: fields.append(("Signature", signer.signatureFieldValue(signature: signature)))
        case .base64urlUnpadded: fields.append(("Signature", "\(label)=:\(Base64URL.encode(signature)):"))
        }
        return HTTPRequest(
            method: HTTPMethod(rawValue: method), target: path, headers: HTTPHeaders(fields),
            body: bodyAfterSigning ?? body)
    }
}

extension Result {
    /// The failure, or nil on success.
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
