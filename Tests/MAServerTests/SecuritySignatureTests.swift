import Foundation
import HTTPKit
@testable import MissionCore
import Testing

@testable import MAServer

/// The signature battery: single-component mutations of valid signed requests are all refused,
/// a signed request is accepted exactly once (sequentially, concurrently and across a restart),
/// and the `created`/`expires` skew matrix answers 4xx, never 5xx.
@Suite("Security: HTTP message signatures")
struct SecuritySignatureTests {
    static let flightsGrant = [Configuration.Grant(resource: TestMA.flights, scopes: ["search"])]

    /// An MA that auto-approves both kinds of test agent and accepts pseudonymous `hwk` keys.
    static func make(directory: String? = nil, clock: ManualTimeSource = ManualTimeSource()) async throws -> TestMA {
        try await TestMA.make(directory: directory, clock: clock) {
            $0.agents.allowPseudonymous = true
            $0.autoApproval = [
                .init(agent: "aauth:*@agent.example", grants: flightsGrant),
                .init(agent: "urn:jkt:sha-256:*", grants: flightsGrant),
            ]
        }
    }

    /// An approved mission for `agent`, and the body of a token request under it.
    static func tokenBody(_ ma: TestMA, _ agent: TestAgent) async throws -> String {
        let proposed = try await ma.send(
            agent, .post, "/mission", json: #"{"description":"Fly","resources":["https://flights.example"]}"#)
        #expect(proposed.status == .ok)
        let s256 = try #require(try json(proposed)["s256"]?.stringValue)
        return #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"search"}"#
    }

    enum Component: String, CaseIterable, Sendable {
        case method, authority, path, contentType, contentDigest, signatureKey, body, created, signature
        case signatureInput, signatureKeyParameters
    }

    /// One mutation of `component` in `request` that really changes it: a choice that happens to
    /// leave the request as it was (a replacement with no match) falls back to a one-character change.
    /// The query is not mutated: `@query` is not a required component, so it is not signed.
    static func mutate(
        _ request: HTTPRequest, _ component: Component, using generator: inout SeededGenerator
    ) -> HTTPRequest {
        let mutated = anyMutation(request, component, using: &generator)
        let unchanged =
            mutated.method == request.method && mutated.target == request.target && mutated.headers == request.headers
            && mutated.body == request.body
        guard unchanged else { return mutated }
        let name = component == .signatureInput || component == .created ? "Signature-Input" : "Signature-Key"
        return SecuritySupport.replacingHeader(
            request, name,
            with: SecuritySupport.replacingOneCharacter(of: request.headers[name] ?? "", using: &generator))
    }

    private static func anyMutation(
        _ request: HTTPRequest, _ component: Component, using generator: inout SeededGenerator
    ) -> HTTPRequest {
        switch component {
        case .method:
            var copy = request
            copy.method = [HTTPMethod.get, .put, .patch, .delete, .head].randomElement(using: &generator) ?? .get
            return copy
        case .authority:
            let host = request.headers["Host"] ?? ""
            let choices = [
                SecuritySupport.replacingOneCharacter(
                    of: host, using: &generator, alphabet: Array("abcdefghijklmnopqrstuvwxyz")),
                host + ":8443", "agent.example", "ma.example.evil.test", "127.0.0.1", String(host.dropLast()),
                "ma-example", host + ".",
            ]
            return SecuritySupport.replacingHeader(request, "Host", with: choices.randomElement(using: &generator))
        case .path:
            let choices = [
                SecuritySupport.replacingOneCharacter(
                    of: request.target, using: &generator, alphabet: Array("abcdefghijklmnopqrstuvwxyz")),
                request.target + "/", request.target + ";x=1", "/mission", "/%74oken", "//token", "/token/..",
                "/TOKEN",
            ]
            return SecuritySupport.retargeted(request, choices.randomElement(using: &generator) ?? "/")
        case .signature:
            // A character inside a complete base64 group, so the decoded bytes change: RFC 8941
            // §3.3.5 asks parsers to tolerate non-zero pad bits, so rewriting only the unused low
            // bits of the last group is another spelling of the same signature, not a new one.
            let value = request.headers["Signature"] ?? ""
            var characters = Array(value)
            guard let open = characters.firstIndex(of: ":"), characters.count > open + 9 else { return request }
            let index = Int.random(in: (open + 1)..<(characters.count - 5), using: &generator)
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
            var replacement = alphabet.randomElement(using: &generator) ?? "A"
            while replacement == characters[index] { replacement = alphabet.randomElement(using: &generator) ?? "B" }
            characters[index] = replacement
            return SecuritySupport.replacingHeader(request, "Signature", with: String(characters))
        case .contentType, .contentDigest, .signatureKey:
            let name =
                [
                    Component.contentType: "Content-Type", .contentDigest: "Content-Digest",
                    .signatureKey: "Signature-Key",
                ][component] ?? "Signature-Key"
            let value = request.headers[name] ?? ""
            // Letters and digits only: a mutated value never trims to the original.
            let mutated = SecuritySupport.replacingOneCharacter(of: value, using: &generator)
            return SecuritySupport.replacingHeader(request, name, with: mutated)
        case .body:
            var copy = request
            guard !copy.body.isEmpty else { return copy }
            let index = Int.random(in: 0..<copy.body.count, using: &generator)
            var byte = UInt8.random(in: 0x21...0x7E, using: &generator)
            while byte == copy.body[index] { byte = UInt8.random(in: 0x21...0x7E, using: &generator) }
            copy.body[index] = byte
            return copy
        case .created:
            let input = request.headers["Signature-Input"] ?? ""
            guard let range = input.range(of: #";created=\d+"#, options: .regularExpression) else { return request }
            let created = Int64(input[range].dropFirst(";created=".count)) ?? 0
            let delta = [-30, -2, -1, 1, 2, 30].randomElement(using: &generator) ?? 1
            let mutated = input.replacingCharacters(in: range, with: ";created=\(created + Int64(delta))")
            return SecuritySupport.replacingHeader(request, "Signature-Input", with: mutated)
        case .signatureInput:
            let input = request.headers["Signature-Input"] ?? ""
            let choices = [
                input.replacingOccurrences(of: #" "signature-key""#, with: ""),
                input.replacingOccurrences(of: #""@path" "#, with: ""),
                input.replacingOccurrences(of: #""@method" "@authority""#, with: #""@authority" "@method""#),
                input + #";alg="hmac-sha256""#, input + ";expires=9999999999", input + #";keyid="x""#,
                input.replacingOccurrences(of: "sig=", with: "sig2="),
                input.replacingOccurrences(of: ")", with: #" "@query")"#),
                SecuritySupport.replacingOneCharacter(of: input, using: &generator),
            ]
            return SecuritySupport.replacingHeader(
                request, "Signature-Input", with: choices.randomElement(using: &generator))
        case .signatureKeyParameters:
            let key = request.headers["Signature-Key"] ?? ""
            let choices = [
                key.replacingOccurrences(of: "sig=jwt", with: "sig=hwk"),
                key.replacingOccurrences(of: "sig=hwk", with: "sig=jwt"),
                key + #";kid="k1""#, key + ";x=1",
                key.replacingOccurrences(of: #"alg="Ed25519""#, with: #"alg="ES256""#),
                key.replacingOccurrences(of: #"crv="Ed25519""#, with: #"crv="X25519""#),
                key.replacingOccurrences(of: "sig=", with: "other="),
                key.replacingOccurrences(of: "sig=jwt", with: "sig=jwks_uri"),
            ]
            return SecuritySupport.replacingHeader(
                request, "Signature-Key", with: choices.randomElement(using: &generator))
        }
    }

    @Test("5,500 single-component mutations of valid signed requests: every one refused, the originals accepted")
    func mutations() async throws {
        let ma = try await Self.make()
        var generator = SeededGenerator(seed: 0x5EC_0001)
        var statuses: [Int: Int] = [:]
        var perComponent: [Component: Int] = [:]
        var accepted: [String] = []
        var originals = 0
        let perBase = 5
        for round in 0..<100 {
            let agent = round.isMultiple(of: 2) ? try TestAgent.jwt(now: ma.now) : try TestAgent.hwk()
            let body = try await Self.tokenBody(ma, agent)
            let original = try agent.request(.post, "/token", json: body, created: ma.now)
            for component in Component.allCases {
                for _ in 0..<perBase {
                    let mutated = Self.mutate(original, component, using: &generator)
                    let response = await ma.respond(mutated)
                    statuses[response.status.code, default: 0] += 1
                    perComponent[component, default: 0] += 1
                    if response.status.code < 400 {
                        accepted.append(
                            "\(component) round \(round): \(mutated.method) \(mutated.target) \(mutated.headers)")
                    }
                }
            }
            // The unmutated request is still good: the refusals above were for the mutations.
            let response = await ma.respond(original)
            #expect(response.status == .ok, "original of round \(round): \(text(response))")
            if response.status == .ok { originals += 1 }
        }
        let total = statuses.values.reduce(0, +)
        #expect(total >= 5_000)
        #expect(accepted.isEmpty, "accepted mutations: \(accepted.prefix(5))")
        #expect(statuses.keys.allSatisfy { $0 < 500 }, "statuses \(statuses)")
        // Exactly one token per original: no mutation issued anything.
        let issued = try SecuritySupport.events(ma.app.authority).filter { $0.action == .accessGranted }.count
        #expect(issued == originals)
        SecuritySupport.summary(
            "signatures.mutations",
            [
                "cases": total, "accepted": accepted.count, "originals_ok": originals,
                "statuses": statuses.sorted { $0.key < $1.key },
            ])
        await ma.close()
    }

    @Test("a sample of mutations over a real socket: every one refused")
    func mutationsOverSocket() async throws {
        let ma = try await Self.make()
        try ma.app.start()
        let client = HTTPClient(host: "127.0.0.1", port: ma.app.port)
        var generator = SeededGenerator(seed: 0x5EC_0002)
        var total = 0
        var accepted = 0
        for round in 0..<4 {
            let agent = round.isMultiple(of: 2) ? try TestAgent.jwt(now: ma.now) : try TestAgent.hwk()
            let body = try await Self.tokenBody(ma, agent)
            let original = try agent.request(.post, "/token", json: body, created: ma.now)
            // Method and path mutations of the target are left to the route level: over the
            // socket the client's framing (HEAD) would change the exchange, not the verdict.
            for component in Component.allCases where component != .method {
                for _ in 0..<3 {
                    let response = try await client.send(Self.mutate(original, component, using: &generator))
                    total += 1
                    #expect(
                        response.status.code >= 400 && response.status.code < 500,
                        "\(component): \(response.status.code) \(text(response))")
                    if response.status.code < 400 { accepted += 1 }
                }
            }
            #expect(try await client.send(original).status == .ok)
        }
        SecuritySupport.summary("signatures.socket", ["cases": total, "accepted": accepted])
        await client.close()
        await ma.close()
    }

    @Test("the same signed token request 1,000 times in a row: exactly one accepted")
    func sequentialReplay() async throws {
        let ma = try await Self.make()
        let agent = try TestAgent.jwt(now: ma.now)
        let request = try agent.request(.post, "/token", json: try await Self.tokenBody(ma, agent), created: ma.now)
        var statuses: [Int: Int] = [:]
        for _ in 0..<1_000 { statuses[(await ma.respond(request)).status.code, default: 0] += 1 }
        #expect(statuses == [200: 1, 401: 999])
        SecuritySupport.summary("signatures.replay.sequential", ["cases": 1_000, "statuses": statuses])
        await ma.close()
    }

    @Test("the same signed token request 50 times at once: exactly one accepted")
    func concurrentReplay() async throws {
        let ma = try await Self.make()
        for round in 0..<4 {
            let agent = round.isMultiple(of: 2) ? try TestAgent.jwt(now: ma.now) : try TestAgent.hwk()
            let request = try agent.request(.post, "/token", json: try await Self.tokenBody(ma, agent), created: ma.now)
            let statuses = await withTaskGroup(of: Int.self) { group in
                for _ in 0..<50 { group.addTask { await ma.respond(request).status.code } }
                var counts: [Int: Int] = [:]
                for await code in group { counts[code, default: 0] += 1 }
                return counts
            }
            #expect(statuses == [200: 1, 401: 49], "round \(round)")
        }
        SecuritySupport.summary("signatures.replay.concurrent", ["cases": 200, "rounds": 4])
        await ma.close()
    }

    @Test(
        "a request accepted before a restart is refused after it, even within the same second",
        arguments: [0.001, 0.3, 0.999, 1.0, 5.0])
    func replayAfterRestart(restartAfter seconds: Double) async throws {
        let clock = ManualTimeSource()
        let first = try await Self.make(clock: clock)
        let agent = try TestAgent.jwt(now: clock.now())
        let request = try agent.request(
            .post, "/token", json: try await Self.tokenBody(first, agent), created: clock.now())
        #expect(await first.respond(request).status == .ok)
        await first.close(removing: false)
        clock.advance(by: seconds)
        let second = try await Self.make(directory: first.directory, clock: clock)
        let replayed = await second.respond(request)
        #expect(replayed.status == .unauthorized)
        #expect(replayed.headers["Signature-Error"] != nil)
        // A freshly signed request is served: the refusal is for the replay only.
        clock.advance(by: 1)
        let fresh = try agent.request(
            .post, "/token", json: String(decoding: request.body, as: UTF8.self), created: clock.now())
        #expect(await second.respond(fresh).status == .ok)
        await second.close()
    }

    @Test(
        "a request signed ahead of the clock and accepted before a restart is refused after it; a fresh one is served",
        arguments: [(30, 0.001), (30, 1.0), (59, 5.0), (30, 45.0), (1, 0.3)] as [(Int, Double)])
    func futureDatedReplayAfterRestart(ahead: Int, restartAfter seconds: Double) async throws {
        let clock = ManualTimeSource()
        let first = try await Self.make(clock: clock)
        let agent = try TestAgent.jwt(now: clock.now())
        let body = try await Self.tokenBody(first, agent)
        let request = try agent.request(.post, "/token", json: body, created: clock.now() + TimeInterval(ahead))
        let created = Int64((clock.now() + TimeInterval(ahead)).timeIntervalSince1970)
        #expect(await first.respond(request).status == .ok)
        await first.close(removing: false)
        clock.advance(by: seconds)
        let second = try await Self.make(directory: first.directory, clock: clock)
        let replayed = await second.respond(request)
        #expect(replayed.status == .unauthorized)
        #expect(replayed.headers["Signature-Error"] == "error=invalid_signature")
        if seconds < Double(ahead) {
            // Only the mark refuses it: `created` is not before the restart bound.
            #expect(second.app.agents.settings.notBefore <= created)
            #expect(try json(replayed)["detail"]?.stringValue == "this signature was already used")
        }
        // Another signature dated just as far ahead is served: the refusal is for the replay only.
        let fresh = try agent.request(.post, "/token", json: body, created: clock.now() + TimeInterval(ahead))
        #expect(await second.respond(fresh).status == .ok)
        // And a third process still refuses both.
        await second.close(removing: false)
        let third = try await Self.make(directory: first.directory, clock: clock)
        #expect(await third.respond(request).status == .unauthorized)
        #expect(await third.respond(fresh).status == .unauthorized)
        SecuritySupport.summary(
            "signatures.replay.future", ["ahead_s": ahead, "restart_after_s": seconds, "refused_after_restart": 2])
        await third.close()
    }

    // (start, last recorded decision, expected notBefore) with a 60 s window: a fresh start refuses
    // only what predates it; a restart in the second of the last decision refuses that whole second.
    @Test(
        "notBefore: the start second, or the second after the last recorded decision, capped by the window",
        arguments: [
            (5.0, nil, Int64(5)), (5.999, nil, 5), (100.2, 40.0, 100), (100.2, 100.9, 101), (100.9, 100.1, 101),
            (100.0, 99.5, 100), (100.0, 5_000.0, 161),
        ] as [(Double, Double?, Int64)])
    func notBeforeRule(start: Double, last: Double?, expected: Int64) {
        let settings = AgentAuthenticator.Settings(
            configuration: TestMA.configuration(directory: "/nonexistent"),
            startedAt: Date(timeIntervalSince1970: start),
            lastRecordedActivity: last.map { Date(timeIntervalSince1970: $0) })
        #expect(settings.notBefore == expected)
    }

    /// `created`/`expires` relative to the MA's clock, and whether the request must be accepted.
    static let skewMatrix: [(created: Int64?, expires: Int64?, accepted: Bool)] = [
        (0, nil, true), (-59, nil, true), (-61, nil, false), (-3_600, nil, false),
        (59, nil, true), (61, nil, false), (86_400 * 365, nil, false),
        (0, -1, false), (0, 30, true), (-30, -10, false), (0, 3_153_600_000, true),
        (nil, nil, false), (Int64.min / 2, nil, false), (0, Int64.max / 2, false),
    ]

    @Test("the created/expires clock-skew matrix: refusals are 401 with Signature-Error, never 5xx")
    func skewMatrix() async throws {
        let clock = ManualTimeSource()
        let ma = try await Self.make(clock: clock)
        // Start 2 minutes into the process so "created" up to 120 s old is after the start.
        clock.advance(by: 120)
        let agent = try TestAgent.jwt(now: ma.now)
        let body = try await Self.tokenBody(ma, agent)
        var cases = 0
        for (index, entry) in Self.skewMatrix.enumerated() {
            let now = Int64(ma.now.timeIntervalSince1970)
            let signed = try Self.signed(
                agent, body: body, created: entry.created.map { now &+ $0 }, expires: entry.expires.map { now &+ $0 })
            let response = await ma.respond(signed)
            cases += 1
            if entry.accepted {
                #expect(response.status == .ok, "case \(index) \(entry)")
            } else {
                #expect(response.status == .unauthorized, "case \(index) \(entry)")
                #expect(response.headers["Signature-Error"] != nil, "case \(index)")
            }
        }
        SecuritySupport.summary("signatures.skew", ["cases": cases])
        await ma.close()
    }

    /// A token request signed with explicit `created` (omitted when `nil`) and `expires`.
    static func signed(_ agent: TestAgent, body: String, created: Int64?, expires: Int64?) throws -> HTTPRequest {
        let bytes = Array(body.utf8)
        var fields: [(String, String)] = [
            ("Host", TestMA.authority), ("Content-Type", "application/json"),
            ("Content-Digest", ContentDigest.fieldValue(algorithm: .sha256, digest: SHA256.hash(bytes))),
            ("Signature-Key", "sig=" + agent.signatureKey),
        ]
        let components = SignedRequestComponents(
            method: "POST", scheme: "https", authority: TestMA.authority, path: "/token", query: nil,
            fields: fields.map { (name: $0.0, value: $0.1) })
        let signer = try MessageSigner(
            label: "sig", components: [.method, .authority, .path, .contentType, .contentDigest, .signatureKey],
            parameters: SignatureParameters(created: created, expires: expires, nonce: UUID().uuidString),
            request: components)
        let signature = try agent.key.signature(for: signer.base.bytes)
        fields.append(("Signature-Input", signer.signatureInputFieldValue))
        fields.append(("Signature", signer.signatureFieldValue(signature: signature)))
        return HTTPRequest(
            method: .post, target: "/token", headers: HTTPHeaders(fields), body: bytes, remoteAddress: "192.0.2.10:1")
    }
}
