import Foundation
import HTTPKit
@testable import MissionCore
import Testing

@testable import MAServer

@Suite("Control routes")
struct RoutesControlTests {
    @Test("no key, an unknown key or a revoked key: 401 invalid_token with a Bearer challenge")
    func unauthenticated() async throws {
        try await TestMA.with { ma in
            let keys = try ma.app.authority.listAdminKeys()
            let auditorID = try #require(keys.first { $0.role == .auditor }?.id)
            #expect(await ma.admin(.get, "/missions", role: .auditor).status == .ok)
            try await ma.app.authority.revokeAdminKey(id: auditorID, by: .system)
            for response in [
                await ma.admin(.get, "/missions", secret: ""),
                await ma.admin(.get, "/missions", secret: "ma_nope_nope"),
                await ma.admin(.get, "/missions", role: .auditor),
            ] {
                #expect(response.status == .unauthorized)
                #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
                #expect(try json(response)["error"]?.stringValue == "invalid_token")
            }
        }
    }

    @Test(
        "roles follow the permission table",
        arguments: [
            (AdminRole.auditor, HTTPMethod.get, "/missions", 200), (.auditor, .post, "/missions/S/suspend", 403),
            (.auditor, .post, "/reviews/R/approve", 403), (.reviewer, .get, "/reviews", 200),
            (.reviewer, .post, "/missions/S/revoke", 403), (.events, .get, "/missions", 403),
            (.events, .post, "/missions/S/events", 200), (.events, .post, "/agents", 403),
            (.reviewer, .delete, "/agents/x", 403),
        ])
    func roles(role: AdminRole, method: HTTPMethod, path: String, status: Int) async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let s256 = try await ma.approvedMission(for: agent)
            let review = try ma.pendingID(try await ma.send(agent, .post, "/mission", json: #"{"description":"x"}"#))
            let body =
                path.hasSuffix("/events")
                ? #"{"type":"invoice.paid","source":"https://billing.example","reference":"INV-1","action":"note"}"#
                : nil
            let target = path.replacingOccurrences(of: "/S/", with: "/\(s256)/").replacingOccurrences(
                of: "/R/", with: "/\(review)/")
            let response = await ma.admin(method, target, json: body, role: role)
            #expect(response.status.code == status)
            if status == 403 { #expect(try json(response)["error"]?.stringValue == "forbidden") }
        }
    }

    @Test("failed authentications are limited per address before any key lookup; other addresses are unaffected")
    func rateLimit() async throws {
        try await TestMA.with { ma in
            var statuses: [Int: Int] = [:]
            for index in 0..<1_000 {
                let response = await ma.admin(
                    .get, "/missions", secret: "ma_guess_\(index)", remote: "203.0.113.9:\(1000 + index)")
                statuses[response.status.code, default: 0] += 1
            }
            #expect(statuses == [401: 10, 429: 990])
            let limited = await ma.admin(.get, "/missions", remote: "203.0.113.9:9")
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers["Retry-After"] ?? "") ?? 0 >= 1)
            #expect(await ma.admin(.get, "/missions", remote: "198.51.100.20:9").status == .ok)
            // The bucket refills: one failure's worth after six seconds.
            ma.clock.advance(by: 6)
            #expect(await ma.admin(.get, "/missions", remote: "203.0.113.9:9").status == .ok)
        }
    }

    @Test("lifecycle transitions, and 409 invalid_transition with the current state")
    func lifecycle() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let s256 = try await ma.approvedMission(for: agent)
            let steps: [(String, Int, String)] = [
                ("resume", 409, "active"), ("suspend", 200, "suspended"), ("suspend", 409, "suspended"),
                ("resume", 200, "active"), ("complete", 200, "completed"), ("revoke", 409, "completed"),
            ]
            for (action, status, state) in steps {
                let response = await ma.admin(
                    .post, "/missions/\(s256)/\(action)", json: #"{"reason":"step \#(action)"}"#)
                #expect(response.status.code == status, "\(action)")
                if status == 200 {
                    #expect(try json(response)["state"]?.stringValue == state)
                } else {
                    #expect(try json(response)["error"]?.stringValue == "invalid_transition")
                    #expect(try json(response)["current_state"]?.stringValue == state)
                }
            }
            let other = try await ma.approvedMission(for: agent)
            #expect(await ma.admin(.post, "/missions/\(other)/revoke").status == .ok)
            #expect(await ma.admin(.post, "/missions/\(String(repeating: "A", count: 43))/suspend").status == .notFound)
            #expect(
                await ma.admin(.post, "/missions/\(other)/suspend", json: #"{"reason":"x","why":1}"#).status
                    == .badRequest)
        }
    }

    @Test("listing: filters, opaque cursors and strict query parameters")
    func listing() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            var created: [String] = []
            for _ in 0..<3 { created.append(try await ma.approvedMission(for: agent)) }
            #expect(await ma.admin(.post, "/missions/\(created[0])/suspend").status == .ok)
            var seen: [String] = []
            var cursor: String?
            repeat {
                let response = await ma.admin(.get, "/missions?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(response.status == .ok)
                let body = try json(response)
                seen += (body["missions"]?.arrayValue ?? []).compactMap { $0["s256"]?.stringValue }
                cursor = body["next_cursor"]?.stringValue
            } while cursor != nil
            #expect(Set(seen) == Set(created))
            #expect(seen.count == 3)
            let suspended = try json(await ma.admin(.get, "/missions?state=suspended&agent=\(agent.id)"))
            #expect(suspended["missions"]?.arrayValue?.compactMap { $0["s256"]?.stringValue } == [created[0]])
            let future = try json(await ma.admin(.get, "/missions?since=2100-01-01T00:00:00Z"))
            #expect(future["missions"]?.arrayValue?.isEmpty == true)
            for bad in [
                "/missions?limit=0", "/missions?limit=x", "/missions?state=odd", "/missions?since=yesterday",
                "/missions?colour=red", "/missions?cursor=bogus", "/missions?limit=1&limit=2",
            ] {
                let response = await ma.admin(.get, bad)
                #expect(response.status == .badRequest, "\(bad)")
                #expect(try json(response)["error"]?.stringValue == "invalid_request")
            }
        }
    }

    @Test("mission detail, its audit trail by pages, the delegation tree, business events")
    func missionReads() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let s256 = try await ma.approvedMission(for: agent)
            let token = try await ma.send(
                agent, .post, "/token",
                json: #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"search"}"#)
            #expect(token.status == .ok)
            let detail = try json(await ma.admin(.get, "/missions/\(s256)"))
            #expect(detail["mission"]?["s256"]?.stringValue == s256)
            #expect(detail["recent_events"]?.arrayValue?.isEmpty == false)
            var actions: [String] = []
            var cursor: String?
            repeat {
                let page = try json(
                    await ma.admin(.get, "/missions/\(s256)/audit?limit=1" + (cursor.map { "&cursor=\($0)" } ?? "")))
                actions += (page["events"]?.arrayValue ?? []).compactMap { $0["action"]?.stringValue }
                cursor = page["next_cursor"]?.stringValue
            } while cursor != nil
            #expect(actions.contains("access.granted"))
            let tree = try json(await ma.admin(.get, "/missions/\(s256)/delegation-tree"))
            #expect(tree["root_agent"]?.stringValue == agent.id)
            #expect(tree["roots"]?.arrayValue?.first?["resource"]?.stringValue == TestMA.flights)
            let event = await ma.admin(
                .post, "/missions/\(s256)/events",
                json:
                    #"{"type":"order.cancelled","source":"https://shop.example","reference":"A-1","action":"suspend"}"#,
                role: .events)
            #expect(event.status == .ok)
            #expect(try json(event)["state"]?.stringValue == "suspended")
            #expect(
                await ma.admin(.post, "/missions/\(s256)/events", json: #"{"type":"x"}"#, role: .events).status
                    == .badRequest)
        }
    }

    @Test("the review queue: list pending, read one, approve with an edited text and an envelope")
    func reviews() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let id = try ma.pendingID(
                try await ma.send(agent, .post, "/mission", json: #"{"mission_proposal":"Draft"}"#))
            let queue = try json(await ma.admin(.get, "/reviews?status=pending", role: .reviewer))
            #expect(queue["reviews"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [id])
            let one = try json(await ma.admin(.get, "/reviews/\(id)", role: .reviewer))
            #expect(one["proposal"]?["text"]?.stringValue == "Draft")
            #expect(one["kind"]?.stringValue == "proposal")
            #expect(await ma.admin(.get, "/reviews/nope").status == .notFound)
            #expect(await ma.admin(.get, "/reviews?status=later").status == .badRequest)
            #expect(await ma.admin(.post, "/reviews/\(id)/approve", json: #"{"mode":"once"}"#).status == .badRequest)
            let approved = await ma.admin(
                .post, "/reviews/\(id)/approve",
                json:
                    #"{"text":"Edited","grants":[{"resource":"https://flights.example","scopes":["*"]}],"expires_in":3600}"#,
                role: .reviewer)
            #expect(approved.status == .ok)
            #expect(try json(approved)["state"]?.stringValue == "approved")
            #expect(await ma.admin(.post, "/reviews/\(id)/deny").status == .conflict)
            let mission = try json(try await ma.send(agent, .get, "/pending/\(id)"))["mission"]
            #expect(mission?["approved"]?.stringValue?.hasPrefix("Edited") == true)
        }
    }

    @Test("agent keys: register, list, remove; a malformed JWK is 400 and a duplicate 409")
    func agentKeys() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.hwk()
            let jwk = String(decoding: agent.jwk.jsonData, as: UTF8.self)
            #expect(await ma.admin(.post, "/agents", json: #"{"name":"bot","jwk":\#(jwk)}"#).status == .created)
            #expect(await ma.admin(.post, "/agents", json: #"{"name":"bot","jwk":\#(jwk)}"#).status == .conflict)
            #expect(
                await ma.admin(.post, "/agents", json: #"{"name":"bad","jwk":{"kty":"OKP"}}"#).status == .badRequest)
            let list = try json(await ma.admin(.get, "/agents", role: .auditor))
            #expect(list["agents"]?.arrayValue?.first?["thumbprint"]?.stringValue == agent.jwk.thumbprint())
            #expect(await ma.admin(.delete, "/agents/\(agent.jwk.thumbprint())").status == .noContent)
            #expect(await ma.admin(.delete, "/agents/\(agent.jwk.thumbprint())").status == .notFound)
        }
    }

    @Test("the global audit feed pages by sequence and the chain verifies; every admin action names its key")
    func auditFeed() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let s256 = try await ma.approvedMission(for: agent)
            #expect(await ma.admin(.post, "/missions/\(s256)/suspend", json: #"{"reason":"check"}"#).status == .ok)
            let first = try json(await ma.admin(.get, "/audit?limit=2"))
            let after = try #require(first["next_after"]?.integerValue)
            #expect(first["events"]?.arrayValue?.count == 2)
            let rest = try json(await ma.admin(.get, "/audit?after=\(after)&limit=500"))
            let events = rest["events"]?.arrayValue ?? []
            #expect(events.first?["seq"]?.integerValue == after + 1)
            let suspension = try #require(events.first { $0["action"]?.stringValue == "mission.suspended" })
            #expect(suspension["details"]?["actor_name"]?.stringValue == "test admin")
            let verified = try json(await ma.admin(.get, "/audit/verify", role: .auditor))
            #expect(verified["status"]?.stringValue == "ok")
            #expect(await ma.admin(.get, "/audit?after=-1").status == .badRequest)
        }
    }
}
