import Foundation
import HTTPKit
@testable import MissionCore
import Testing

@testable import MAServer

@Suite("Public routes and resource tokens")
struct RoutesPublicTests {
    @Test("the PS metadata document names every endpoint on the issuer")
    func metadata() async throws {
        try await TestMA.with { ma in
            let response = await ma.respond(HTTPRequest(method: .get, target: "/.well-known/aauth-person.json"))
            #expect(response.status == .ok)
            let body = try json(response)
            #expect(body["issuer"]?.stringValue == TestMA.issuer)
            #expect(body["jwks_uri"]?.stringValue == "https://ma.example/.well-known/jwks.json")
            #expect(body["mission_endpoint"]?.stringValue == "https://ma.example/mission")
            #expect(body["auth_token_endpoint"]?.stringValue == "https://ma.example/token")
            #expect(body["mission_control_endpoint"]?.stringValue == "https://ma.example/missions")
            #expect(body["mission_supported"] == .bool(true))
            #expect(body["accept_signature_algs"] == .array([.string("Ed25519"), .string("ES256")]))
            #expect(body["aauth_profile"]?.stringValue != nil)
        }
    }

    @Test("the JWKS: every key with alg and kid, cacheable for a short time")
    func jwks() async throws {
        try await TestMA.with { ma in
            let response = await ma.respond(HTTPRequest(method: .get, target: "/.well-known/jwks.json"))
            #expect(response.status == .ok)
            #expect(response.headers["Cache-Control"] == "public, max-age=300")
            let keys = try #require(try json(response)["keys"]?.arrayValue)
            #expect(keys.count == 1)
            #expect(keys.first?["kid"]?.stringValue == ma.app.authority.currentSigningKeyID)
            #expect(keys.first?["alg"]?.stringValue == "Ed25519")
            #expect(keys.first?["d"] == nil)
        }
    }

    @Test("healthz answers ok while the database answers, 503 once it is closed")
    func health() async throws {
        let ma = try await TestMA.make()
        let ok = await ma.respond(HTTPRequest(method: .get, target: "/healthz"))
        #expect(ok.status == .ok)
        #expect(try json(ok)["status"]?.stringValue == "ok")
        ma.app.authority.close()
        #expect(await ma.respond(HTTPRequest(method: .get, target: "/healthz")).status == .serviceUnavailable)
        await ma.close()
    }

    @Test("metrics: requests by route pattern and status, latency histogram, decisions, pending reviews")
    func metrics() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let s256 = try await ma.approvedMission(for: agent)
            _ = try await ma.send(agent, .post, "/mission", json: #"{"description":"waiting"}"#)
            _ = try await ma.send(
                agent, .post, "/token",
                json: #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"book"}"#)
            let response = await ma.respond(HTTPRequest(method: .get, target: "/metrics"))
            #expect(response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8")
            let body = text(response)
            #expect(body.contains(#"ma_http_requests_total{route="/pending/:id",method="GET",status="200"} 1"#))
            #expect(body.contains(#"ma_http_requests_total{route="/token",method="POST",status="403"} 1"#))
            #expect(body.contains(#"ma_http_request_duration_seconds_bucket{route="/mission",le="+Inf"} 2"#))
            #expect(body.contains(#"ma_decisions_total{outcome="denied"} 1"#))
            #expect(body.contains(#"ma_decisions_total{outcome="pending"} 2"#))
            #expect(body.contains("ma_pending_reviews 1\n"))
            #expect(!body.contains(s256))
        }
    }

    @Test("a resource token stands for resource and scope; bad ones are 400 without Signature-Error")
    func resourceTokens() async throws {
        try await TestMA.with(configure: {
            $0.resources = [.init(origin: TestMA.flights, jwks: TestAgent.providerJWKS)]
        }) { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let s256 = try await ma.approvedMission(for: agent)
            func token(expiresIn: Int64 = 300, jkt: String? = nil, mission: String? = nil) throws -> String {
                let now = Int64(ma.now.timeIntervalSince1970)
                var claims: [String: MissionCore.JSONValue] = [
                    "iss": .string(TestMA.flights), "aud": .string(TestMA.issuer), "dwk": "aauth-resource.json",
                    "agent_jkt": .string(jkt ?? agent.jwk.thumbprint()), "jti": .string(UUID().uuidString),
                    "iat": .integer(now - 10), "exp": .integer(now + expiresIn), "scope": "search",
                ]
                if let mission { claims["mission_s256"] = .string(mission) }
                let key = try Ed25519.PrivateKey(rawRepresentation: hexBytes(TestAgent.providerSeed))
                return try JWTSigner(key: .ed25519(key), keyID: "ap-key-1").sign(
                    claims: claims, type: "aa-resource+jwt")
            }
            let granted = try await ma.send(
                agent, .post, "/token", json: #"{"mission_s256":"\#(s256)","resource_token":"\#(try token())"}"#)
            #expect(granted.status == .ok)
            #expect(try json(granted)["scope"]?.stringValue == "search")
            let bound = try await ma.send(
                agent, .post, "/token", json: #"{"resource_token":"\#(try token(mission: s256))"}"#)
            #expect(bound.status == .ok)
            let cases: [(String, String)] = [
                (
                    #"{"mission_s256":"\#(s256)","resource_token":"\#(try token(expiresIn: -60))"}"#,
                    "expired_resource_token"
                ),
                (
                    #"{"mission_s256":"\#(s256)","resource_token":"\#(try token(jkt: "someone-else"))"}"#,
                    "invalid_resource_token"
                ),
                (#"{"mission_s256":"\#(s256)","resource_token":"not.a.jwt"}"#, "invalid_resource_token"),
                (
                    #"{"mission_s256":"\#(s256)","resource_token":"\#(try token())","scope":"search"}"#,
                    "invalid_request"
                ),
            ]
            for (body, code) in cases {
                let response = try await ma.send(agent, .post, "/token", json: body)
                #expect(response.status == .badRequest, "\(code)")
                #expect(response.headers["Signature-Error"] == nil)
                #expect(try json(response)["error"]?.stringValue == code)
            }
        }
    }
}
