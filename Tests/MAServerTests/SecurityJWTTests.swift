import Foundation
import HTTPKit
@testable import MissionCore
import Testing

@testable import MAServer

/// JWT attacks against the MA: agent tokens in `Signature-Key: jwt` and resource tokens in
/// `POST /token` `resource_token`. Every case is refused with its 401 `Signature-Error` code
/// (agent tokens) or its 400 error (resource tokens), never a 5xx.
@Suite("Security: JWTs presented to the MA")
struct SecurityJWTTests {
    /// The resource's token-signing key: RFC 8032 §7.1 TEST 3.
    static let resourceSeed = "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7"
    static let resourceKeyID = "rs-key-1"

    static func resourceKey() throws -> Ed25519.PrivateKey {
        try Ed25519.PrivateKey(rawRepresentation: hexBytes(resourceSeed))
    }

    static func providerKey() throws -> Ed25519.PrivateKey {
        try Ed25519.PrivateKey(rawRepresentation: hexBytes(TestAgent.providerSeed))
    }

    static func make() async throws -> TestMA {
        let x = Base64URL.encode(try resourceKey().publicKey.rawRepresentation)
        let jwks =
            #"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"\#(x)","alg":"Ed25519","kid":"\#(resourceKeyID)"}]}"#
        return try await TestMA.make {
            $0.resources = [.init(origin: TestMA.flights, jwks: jwks)]
            $0.autoApproval = [
                .init(agent: "aauth:*@agent.example", grants: [.init(resource: TestMA.flights, scopes: ["search"])])
            ]
        }
    }

    // MARK: Token building

    static func b64(_ text: String) -> String { Base64URL.encode(Array(text.utf8)) }

    /// A compact JWT from raw header and payload JSON texts; `sign` produces the signature bytes over
    /// the signing input (RFC 7515 §5.1).
    static func compact(header: String, payload: String, sign: ([UInt8]) throws -> [UInt8]) rethrows -> String {
        let input = b64(header) + "." + b64(payload)
        return input + "." + Base64URL.encode(try sign(Array(input.utf8)))
    }

    static func claimsJSON(_ claims: [String: MissionCore.JSONValue]) -> String {
        String(decoding: (try? CanonicalJSON.encode(.object(claims))) ?? [], as: UTF8.self)
    }

    /// HMAC-SHA256 (RFC 2104), for the "HS256 keyed with the public key" confusion.
    static func hmacSHA256(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? SHA256.hash(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        let inner = SHA256.hash(block.map { $0 ^ 0x36 } + message)
        return SHA256.hash(block.map { $0 ^ 0x5C } + inner)
    }

    /// Valid agent-token claims for `jwk` at `now`, with `change` applied.
    static func agentClaims(
        _ jwk: JWK, now: Date, _ change: (inout [String: MissionCore.JSONValue]) -> Void = { _ in }
    ) -> [String: MissionCore.JSONValue] {
        let iat = Int64(now.timeIntervalSince1970) - 60
        var claims: [String: MissionCore.JSONValue] = [
            "iss": .string(TestAgent.providerIssuer), "dwk": "aauth-agent.json",
            "sub": "aauth:attacker@agent.example", "jti": .string(UUID().uuidString),
            "cnf": .object(["jwk": jwk.jsonValue]), "iat": .integer(iat), "exp": .integer(iat + 3600),
        ]
        change(&claims)
        return claims
    }

    static let agentHeader = #"{"alg":"Ed25519","typ":"aa-agent+jwt","kid":"ap-key-1"}"#

    /// One attack: a name, the token text, and the `Signature-Error` codes that are right for it.
    struct Attack: Sendable, CustomStringConvertible {
        let name: String
        let token: String
        let codes: Set<String>
        var description: String { name }
    }

    /// The agent-token attacks, built for the agent key `agentKey`.
    static func agentAttacks(agentKey: Ed25519.PrivateKey, now: Date, authToken: String, resourceToken: String)
        throws -> [Attack]
    {
        let jwk = JWK(publicKey: agentKey.publicKey, use: nil)
        let provider = try providerKey()
        let attacker = try Ed25519.PrivateKey()
        let attackerJWK = JWK(publicKey: attacker.publicKey, use: nil)
        let payload = claimsJSON(agentClaims(jwk, now: now))
        let providerSign: ([UInt8]) throws -> [UInt8] = { try provider.signature(for: $0) }
        let valid = try compact(header: agentHeader, payload: payload, sign: providerSign)
        let parts = valid.split(separator: ".").map(String.init)
        let publicX = provider.publicKey.rawRepresentation
        let headerWith: (String) -> String = { extra in
            #"{"alg":"Ed25519","typ":"aa-agent+jwt","kid":"ap-key-1",\#(extra)}"#
        }
        func signed(
            _ header: String = agentHeader, _ change: (inout [String: MissionCore.JSONValue]) -> Void = { _ in }
        )
            throws -> String
        {
            try compact(header: header, payload: claimsJSON(agentClaims(jwk, now: now, change)), sign: providerSign)
        }
        let invalidJWT: Set<String> = ["invalid_jwt"]
        var attacks: [Attack] = [
            Attack(
                name: "alg none, empty signature",
                token: b64(#"{"alg":"none","typ":"aa-agent+jwt","kid":"ap-key-1"}"#) + "." + b64(payload) + ".",
                codes: invalidJWT),
            Attack(
                name: "alg none with the real signature",
                token: b64(#"{"alg":"none","typ":"aa-agent+jwt","kid":"ap-key-1"}"#) + "." + parts[1] + "." + parts[2],
                codes: invalidJWT),
            Attack(
                name: "alg None",
                token: b64(#"{"alg":"None","typ":"aa-agent+jwt","kid":"ap-key-1"}"#) + "." + parts[1] + ".",
                codes: invalidJWT),
            Attack(
                name: "HS256 keyed with the provider's raw public key",
                token: compact(
                    header: #"{"alg":"HS256","typ":"aa-agent+jwt","kid":"ap-key-1"}"#, payload: payload,
                    sign: { hmacSHA256(key: publicX, $0) }), codes: invalidJWT),
            Attack(
                name: "HS256 keyed with the provider's x text",
                token: compact(
                    header: #"{"alg":"HS256","typ":"aa-agent+jwt","kid":"ap-key-1"}"#, payload: payload,
                    sign: { hmacSHA256(key: Array(Base64URL.encode(publicX).utf8), $0) }), codes: invalidJWT),
            Attack(
                name: "HS256 keyed with the JWKS text",
                token: compact(
                    header: #"{"alg":"HS256","typ":"aa-agent+jwt","kid":"ap-key-1"}"#, payload: payload,
                    sign: { hmacSHA256(key: Array(TestAgent.providerJWKS.utf8), $0) }), codes: invalidJWT),
            Attack(
                name: "ES256 header over an Ed25519 signature",
                token: try compact(
                    header: #"{"alg":"ES256","typ":"aa-agent+jwt","kid":"ap-key-1"}"#, payload: payload,
                    sign: providerSign),
                codes: invalidJWT),
            Attack(
                name: "RS256 header",
                token: try compact(
                    header: #"{"alg":"RS256","typ":"aa-agent+jwt","kid":"ap-key-1"}"#, payload: payload,
                    sign: providerSign),
                codes: invalidJWT),
            Attack(name: "crit [exp]", token: try signed(headerWith(#""crit":["exp"]"#)), codes: invalidJWT),
            Attack(name: "crit [] (empty)", token: try signed(headerWith(#""crit":[]"#)), codes: invalidJWT),
            Attack(
                name: "embedded jwk of the attacker, signed by the attacker",
                token: try compact(
                    header: headerWith(
                        #""jwk":\#(String(decoding: (try? CanonicalJSON.encode(attackerJWK.jsonValue)) ?? [], as: UTF8.self))"#
                    ),
                    payload: payload, sign: { try attacker.signature(for: $0) }), codes: invalidJWT),
            Attack(
                name: "jku to the attacker, signed by the attacker",
                token: try compact(
                    header: headerWith(#""jku":"https://evil.example/jwks.json""#), payload: payload,
                    sign: { try attacker.signature(for: $0) }), codes: invalidJWT),
            Attack(
                name: "x5u to the attacker, signed by the attacker",
                token: try compact(
                    header: headerWith(#""x5u":"https://evil.example/cert.pem""#), payload: payload,
                    sign: { try attacker.signature(for: $0) }), codes: invalidJWT),
            Attack(
                name: "signed by the agent's own key (self-issued)",
                token: try compact(header: agentHeader, payload: payload, sign: { try agentKey.signature(for: $0) }),
                codes: invalidJWT),
            Attack(name: "an auth token issued by this MA", token: authToken, codes: invalidJWT),
            Attack(name: "a resource token", token: resourceToken, codes: invalidJWT),
            Attack(
                name: "typ JWT", token: try signed(#"{"alg":"Ed25519","typ":"JWT","kid":"ap-key-1"}"#),
                codes: invalidJWT),
            Attack(name: "typ missing", token: try signed(#"{"alg":"Ed25519","kid":"ap-key-1"}"#), codes: invalidJWT),
            Attack(
                name: "typ aa-auth+jwt", token: try signed(#"{"alg":"Ed25519","typ":"aa-auth+jwt","kid":"ap-key-1"}"#),
                codes: invalidJWT),
            Attack(
                name: "kid ../../etc/passwd",
                token: try signed(#"{"alg":"Ed25519","typ":"aa-agent+jwt","kid":"../../etc/passwd"}"#),
                codes: ["unknown_key"]),
            Attack(
                name: "kid SQL", token: try signed(#"{"alg":"Ed25519","typ":"aa-agent+jwt","kid":"x' OR '1'='1"}"#),
                codes: ["unknown_key"]),
            Attack(
                name: "kid 20,000 characters",
                token: try signed(
                    #"{"alg":"Ed25519","typ":"aa-agent+jwt","kid":"\#(String(repeating: "k", count: 20_000))"}"#),
                // A structured-field string this long is refused when Signature-Key is parsed.
                codes: ["unknown_key", "invalid_key"]),
            Attack(
                name: "kid with a NUL",
                token: try signed(#"{"alg":"Ed25519","typ":"aa-agent+jwt","kid":"ap-key-1\u0000"}"#),
                codes: ["unknown_key"]),
            Attack(
                name: "kid missing", token: try signed(#"{"alg":"Ed25519","typ":"aa-agent+jwt"}"#), codes: invalidJWT),
            Attack(
                name: "kid a number", token: try signed(#"{"alg":"Ed25519","typ":"aa-agent+jwt","kid":1}"#),
                codes: invalidJWT),
            Attack(
                name: "base64 padding on every part", token: parts.map { $0 + "=" }.joined(separator: "."),
                codes: invalidJWT),
            Attack(name: "+/ alphabet", token: try standardAlphabet(signed), codes: invalidJWT),
            Attack(
                name: "non-zero trailing bits in the signature", token: flippingTrailingBits(valid), codes: invalidJWT),
            Attack(name: "whitespace inside", token: parts[0] + ". " + parts[1] + "." + parts[2], codes: invalidJWT),
            Attack(name: "two parts", token: parts[0] + "." + parts[1], codes: invalidJWT),
            Attack(name: "four parts", token: valid + ".", codes: invalidJWT),
            Attack(name: "empty", token: "", codes: ["invalid_jwt", "invalid_key"]),
            Attack(
                name: "oversize (256 KiB claim, signed by the attacker)",
                token: try compact(
                    header: agentHeader,
                    payload: claimsJSON(
                        agentClaims(jwk, now: now) { $0["pad"] = .string(String(repeating: "A", count: 262_144)) }),
                    sign: { try attacker.signature(for: $0) }), codes: ["invalid_jwt", "invalid_key"]),
            Attack(
                name: "duplicate alg in the header",
                token: try signed(#"{"alg":"none","alg":"Ed25519","typ":"aa-agent+jwt","kid":"ap-key-1"}"#),
                codes: invalidJWT),
            Attack(name: "header a JSON array", token: b64("[]") + "." + parts[1] + "." + parts[2], codes: invalidJWT),
            Attack(name: "wrong iss", token: try signed { $0["iss"] = "https://evil.example" }, codes: invalidJWT),
            Attack(name: "iss missing", token: try signed { $0["iss"] = nil }, codes: invalidJWT),
            Attack(name: "iss a number", token: try signed { $0["iss"] = .integer(1) }, codes: invalidJWT),
            Attack(
                name: "expired",
                token: try signed { $0["exp"] = .integer(Int64(now.timeIntervalSince1970) - 1) }, codes: ["expired_jwt"]
            ),
            Attack(name: "exp missing", token: try signed { $0["exp"] = nil }, codes: invalidJWT),
            Attack(name: "exp a string", token: try signed { $0["exp"] = "tomorrow" }, codes: invalidJWT),
            Attack(
                name: "nbf in the future",
                token: try signed { $0["nbf"] = .integer(Int64(now.timeIntervalSince1970) + 600) }, codes: invalidJWT),
            Attack(
                name: "iat an hour ahead",
                token: try signed {
                    $0["iat"] = .integer(Int64(now.timeIntervalSince1970) + 3600)
                    $0["exp"] = .integer(Int64(now.timeIntervalSince1970) + 7200)
                }, codes: ["clock_skew"]),
            Attack(name: "cnf missing", token: try signed { $0["cnf"] = nil }, codes: invalidJWT),
            Attack(name: "cnf without jwk", token: try signed { $0["cnf"] = .object([:]) }, codes: invalidJWT),
            Attack(name: "cnf a string", token: try signed { $0["cnf"] = "key" }, codes: invalidJWT),
            Attack(
                name: "cnf.jwk is the attacker's key (cnf mismatch)",
                token: try signed { $0["cnf"] = .object(["jwk": attackerJWK.jsonValue]) }, codes: ["invalid_signature"]),
            Attack(
                name: "cnf.jwk an HMAC key",
                token: try signed {
                    $0["cnf"] = .object(["jwk": .object(["kty": "oct", "k": "AAAA", "alg": "HS256"])])
                },
                codes: ["unsupported_algorithm", "invalid_key", "invalid_jwt"]),
            Attack(
                name: "parent_agent present",
                token: try signed { $0["parent_agent"] = "aauth:parent@agent.example" }, codes: invalidJWT),
            Attack(name: "sub missing", token: try signed { $0["sub"] = nil }, codes: invalidJWT),
            Attack(name: "sub empty", token: try signed { $0["sub"] = "" }, codes: invalidJWT),
            Attack(name: "jti missing", token: try signed { $0["jti"] = nil }, codes: invalidJWT),
            Attack(
                name: "dwk of a resource", token: try signed { $0["dwk"] = "aauth-resource.json" }, codes: invalidJWT),
            Attack(name: "ps a number", token: try signed { $0["ps"] = .integer(5) }, codes: invalidJWT),
            Attack(
                name: "payload tampered after signing",
                token: parts[0] + "." + b64(payload.replacingOccurrences(of: "attacker", with: "admin")) + "."
                    + parts[2],
                codes: invalidJWT),
        ]
        attacks.append(
            Attack(
                name: "payload not JSON", token: parts[0] + "." + b64("sub=admin") + "." + parts[2], codes: invalidJWT))
        return attacks
    }

    /// A freshly signed token (each has a new `jti`, so new bytes) that contains `-` or `_`,
    /// respelled in the standard alphabet (`+`, `/`): a token without either would be unchanged.
    static func standardAlphabet(_ sign: (String, (inout [String: MissionCore.JSONValue]) -> Void) throws -> String)
        throws -> String
    {
        for _ in 0..<100 {
            let token = try sign(agentHeader) { _ in }
            if token.contains("-") || token.contains("_") {
                return token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            }
        }
        throw JOSEError.malformed("no token with - or _ in 100 tries")
    }

    /// The token with the last signature character changed so that only its unused low bits differ.
    static func flippingTrailingBits(_ token: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        guard let last = token.last, let index = alphabet.firstIndex(of: last) else { return token }
        // 64 signature bytes are 86 characters: the last one carries 2 bits, its 4 low bits are unused.
        return String(token.dropLast()) + String(alphabet[index ^ 0x01])
    }

    /// A token request under `s256`, with the agent's key and `token` in `Signature-Key: jwt`.
    static func request(with token: String, key: Ed25519.PrivateKey, s256: String, ma: TestMA) throws -> HTTPRequest {
        let agent = TestAgent(
            key: key, jwk: JWK(publicKey: key.publicKey, use: nil), agentToken: token,
            id: "aauth:attacker@agent.example")
        return try agent.request(
            .post, "/token",
            json: #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"search"}"#,
            created: ma.now)
    }

    @Test("56 agent-token attacks in Signature-Key jwt: each 401 with its Signature-Error code")
    func agentTokens() async throws {
        let ma = try await Self.make()
        let agent = try TestAgent.jwt(now: ma.now)
        let s256 = try #require(
            try json(
                try await ma.send(
                    agent, .post, "/mission", json: #"{"description":"Fly","resources":["https://flights.example"]}"#))[
                    "s256"]?.stringValue)
        let granted = try await ma.send(
            agent, .post, "/token",
            json: #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"search"}"#)
        let authToken = try #require(try json(granted)["auth_token"]?.stringValue)
        let resourceToken = try Self.resourceToken(for: agent.jwk, now: ma.now)
        let before = try SecuritySupport.events(ma.app.authority).count
        let attacks = try Self.agentAttacks(
            agentKey: agent.key, now: ma.now, authToken: authToken, resourceToken: resourceToken)
        var codes: [String: Int] = [:]
        for attack in attacks {
            let response = await ma.respond(try Self.request(with: attack.token, key: agent.key, s256: s256, ma: ma))
            // The field is a structured-field dictionary: `error=<code>`.
            let field = response.headers["Signature-Error"] ?? "none"
            let code = field.hasPrefix("error=") ? String(field.dropFirst("error=".count)) : field
            codes[code, default: 0] += 1
            #expect(response.status == .unauthorized, "\(attack.name): \(response.status.code)")
            #expect(attack.codes.contains(code), "\(attack.name): \(code) \(text(response))")
        }
        // Control: the same construction with a valid token is accepted, so the refusals are the attacks'.
        let control = try Self.compact(
            header: Self.agentHeader, payload: Self.claimsJSON(Self.agentClaims(agent.jwk, now: ma.now)),
            sign: { try Self.providerKey().signature(for: $0) })
        #expect(
            await ma.respond(try Self.request(with: control, key: agent.key, s256: s256, ma: ma)).status == .notFound)
        #expect(try SecuritySupport.events(ma.app.authority).count == before)
        #expect(attacks.count >= 40)
        SecuritySupport.summary(
            "jwt.agent_tokens", ["cases": attacks.count, "codes": codes.sorted { $0.key < $1.key }])
        await ma.close()
    }

    /// A valid resource token from flights.example for `jwk`, with `change` applied to its claims.
    static func resourceToken(
        for jwk: JWK, now: Date, header: String = #"{"alg":"Ed25519","typ":"aa-resource+jwt","kid":"rs-key-1"}"#,
        _ change: (inout [String: MissionCore.JSONValue]) -> Void = { _ in }, sign: (([UInt8]) throws -> [UInt8])? = nil
    ) throws -> String {
        let iat = Int64(now.timeIntervalSince1970) - 10
        var claims: [String: MissionCore.JSONValue] = [
            "iss": .string(TestMA.flights), "aud": .string(TestMA.issuer), "agent_jkt": .string(jwk.thumbprint()),
            "jti": .string(UUID().uuidString), "iat": .integer(iat), "exp": .integer(iat + 300), "scope": "search",
            "dwk": "aauth-resource.json",
        ]
        change(&claims)
        let key = try resourceKey()
        return try compact(header: header, payload: claimsJSON(claims), sign: sign ?? { try key.signature(for: $0) })
    }

    @Test("resource-token attacks in POST /token: each 400 with its error, never 5xx, no token issued")
    func resourceTokens() async throws {
        let ma = try await Self.make()
        let agent = try TestAgent.jwt(now: ma.now)
        let other = try TestAgent.jwt(now: ma.now)
        let s256 = try #require(
            try json(
                try await ma.send(
                    agent, .post, "/mission", json: #"{"description":"Fly","resources":["https://flights.example"]}"#))[
                    "s256"]?.stringValue)
        let granted = try await ma.send(
            agent, .post, "/token",
            json: #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"search"}"#)
        let authToken = try #require(try json(granted)["auth_token"]?.stringValue)
        let now = ma.now
        let epoch = Int64(now.timeIntervalSince1970)
        let jwk = agent.jwk
        let resourceX = try Self.resourceKey().publicKey.rawRepresentation
        let invalid: Set<String> = ["invalid_resource_token"]
        let valid = try Self.resourceToken(for: jwk, now: now)
        let parts = valid.split(separator: ".").map(String.init)
        var attacks: [Attack] = [
            Attack(
                name: "alg none",
                token: Self.b64(#"{"alg":"none","typ":"aa-resource+jwt","kid":"rs-key-1"}"#) + "." + parts[1] + ".",
                codes: invalid),
            Attack(
                name: "HS256 keyed with the resource's public key",
                token: try Self.resourceToken(
                    for: jwk, now: now, header: #"{"alg":"HS256","typ":"aa-resource+jwt","kid":"rs-key-1"}"#,
                    sign: { Self.hmacSHA256(key: resourceX, $0) }), codes: invalid),
            Attack(
                name: "crit",
                token: try Self.resourceToken(
                    for: jwk, now: now,
                    header: #"{"alg":"Ed25519","typ":"aa-resource+jwt","kid":"rs-key-1","crit":["b64"],"b64":false}"#),
                codes: invalid),
            Attack(
                name: "embedded jwk, signed by the attacker",
                token: try Self.resourceToken(
                    for: jwk, now: now,
                    header:
                        #"{"alg":"Ed25519","typ":"aa-resource+jwt","kid":"rs-key-1","jwk":{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}}"#,
                    sign: {
                        try Ed25519.PrivateKey(
                            rawRepresentation: hexBytes(
                                "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
                        ).signature(for: $0)
                    }),
                codes: invalid),
        ]
        attacks += [
            Attack(
                name: "wrong aud",
                token: try Self.resourceToken(for: jwk, now: now) { $0["aud"] = "https://other-ma.example" },
                codes: invalid),
            Attack(
                name: "aud missing", token: try Self.resourceToken(for: jwk, now: now) { $0["aud"] = nil },
                codes: invalid),
            Attack(
                name: "wrong iss",
                token: try Self.resourceToken(for: jwk, now: now) { $0["iss"] = "https://evil.example" }, codes: invalid
            ),
            Attack(
                name: "expired", token: try Self.resourceToken(for: jwk, now: now) { $0["exp"] = .integer(epoch - 1) },
                codes: ["expired_resource_token"]),
            Attack(
                name: "exp missing", token: try Self.resourceToken(for: jwk, now: now) { $0["exp"] = nil },
                codes: invalid),
        ]
        attacks += [
            Attack(
                name: "nbf in the future",
                token: try Self.resourceToken(for: jwk, now: now) { $0["nbf"] = .integer(epoch + 600) }, codes: invalid),
            Attack(
                name: "iat an hour ahead",
                token: try Self.resourceToken(for: jwk, now: now) {
                    $0["iat"] = .integer(epoch + 3600)
                    $0["exp"] = .integer(epoch + 7200)
                }, codes: ["clock_skew"]),
        ]
        attacks += [
            Attack(
                name: "agent_jkt of another agent",
                token: try Self.resourceToken(for: other.jwk, now: now), codes: invalid),
            Attack(
                name: "agent_jkt missing", token: try Self.resourceToken(for: jwk, now: now) { $0["agent_jkt"] = nil },
                codes: invalid),
            Attack(
                name: "jti missing", token: try Self.resourceToken(for: jwk, now: now) { $0["jti"] = nil },
                codes: invalid),
            Attack(
                name: "scope a number", token: try Self.resourceToken(for: jwk, now: now) { $0["scope"] = .integer(1) },
                codes: invalid),
        ]
        attacks += [
            Attack(
                name: "mission_s256 malformed",
                token: try Self.resourceToken(for: jwk, now: now) { $0["mission_s256"] = "short" }, codes: invalid),
            Attack(
                name: "typ aa-agent+jwt",
                token: try Self.resourceToken(
                    for: jwk, now: now, header: #"{"alg":"Ed25519","typ":"aa-agent+jwt","kid":"rs-key-1"}"#),
                codes: invalid),
            Attack(name: "an auth token issued by this MA", token: authToken, codes: invalid),
            Attack(name: "the agent's own agent token", token: try #require(agent.agentToken), codes: invalid),
        ]
        attacks += [
            Attack(
                name: "kid injection",
                token: try Self.resourceToken(
                    for: jwk, now: now, header: #"{"alg":"Ed25519","typ":"aa-resource+jwt","kid":"../rs-key-1"}"#),
                codes: invalid)
        ]
        attacks += [
            Attack(name: "padding", token: parts.map { $0 + "=" }.joined(separator: "."), codes: invalid),
            Attack(name: "trailing bits", token: Self.flippingTrailingBits(valid), codes: invalid),
            Attack(
                name: "signed by the agent",
                token: try Self.resourceToken(for: jwk, now: now, sign: { try agent.key.signature(for: $0) }),
                codes: invalid),
            Attack(
                name: "dwk of an agent",
                token: try Self.resourceToken(for: jwk, now: now) { $0["dwk"] = "aauth-agent.json" }, codes: invalid),
        ]
        var codes: [String: Int] = [:]
        for attack in attacks {
            let response = try await ma.send(
                agent, .post, "/token", json: #"{"mission_s256":"\#(s256)","resource_token":"\#(attack.token)"}"#)
            let code = try json(response)["error"]?.stringValue ?? "none"
            codes[code, default: 0] += 1
            #expect(response.status == .badRequest, "\(attack.name): \(response.status.code) \(text(response))")
            #expect(response.headers["Signature-Error"] == nil, "\(attack.name)")
            #expect(attack.codes.contains(code), "\(attack.name): \(code) \(text(response))")
        }
        // Control: the valid resource token is honoured.
        let control = try await ma.send(
            agent, .post, "/token", json: #"{"mission_s256":"\#(s256)","resource_token":"\#(valid)"}"#)
        #expect(control.status == .ok, "\(text(control))")
        let issued = try SecuritySupport.events(ma.app.authority).filter { $0.action == .accessGranted }.count
        #expect(issued == 2)
        SecuritySupport.summary(
            "jwt.resource_tokens", ["cases": attacks.count, "codes": codes.sorted { $0.key < $1.key }])
        await ma.close()
    }
}
