import Foundation
import HTTPKit
@testable import MissionCore
import Testing

@testable import MAServer

@Suite("Agent routes")
struct RoutesAgentTests {
    @Test("proposal in the current form, auto-approved: 200 with s256 over the exact blob")
    func autoApprovedBlob() async throws {
        try await TestMA.with(configure: {
            $0.autoApproval = [
                .init(agent: "aauth:*@agent.example", grants: [.init(resource: TestMA.flights, scopes: ["search"])])
            ]
        }) { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let response = try await ma.send(
                agent, .post, "/mission",
                json:
                    #"{"description":"Trip\n\nFind flights.","resources":[{"resource":"https://flights.example","scopes":["search"]}]}"#
            )
            #expect(response.status == .ok)
            #expect(response.headers["Cache-Control"] == "no-store")
            let body = try json(response)
            let encoded = try #require(body["mission"]?.stringValue)
            let blob = try #require(Base64URL.decode(encoded))
            #expect(body["s256"]?.stringValue == Base64URL.encode(SHA256.hash(blob)))
            #expect(try MissionCore.JSONValue.parse(blob)["description"]?.stringValue == "Trip\n\nFind flights.")
        }
    }

    @Test("seed form: 202 pending with every header, approval delivered once on the poll, then 410")
    func seedFormPendingThenApproved() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let pending = try await ma.send(
                agent, .post, "/mission", json: #"{"mission_proposal":"Plan\n\nCompare fares."}"#)
            #expect(pending.status == .accepted)
            #expect(pending.headers["Retry-After"] == "5")
            #expect(pending.headers["Cache-Control"] == "no-store")
            #expect(pending.headers["AAuth-Requirement"] == "requirement=approval")
            #expect(try json(pending)["status"]?.stringValue == "pending")
            let id = try ma.pendingID(pending)
            let still = try await ma.send(agent, .get, "/pending/\(id)")
            #expect(still.status == .accepted)

            #expect(await ma.admin(.post, "/reviews/\(id)/approve", json: "{}").status == .ok)
            let approved = try await ma.send(agent, .get, "/pending/\(id)")
            #expect(approved.status == .ok)
            let mission = try #require(try json(approved)["mission"])
            let text = try #require(mission["approved"]?.stringValue)
            #expect(text.hasPrefix("Plan\n\nCompare fares."))
            #expect(mission["s256"]?.stringValue == Base64URL.encode(SHA256.hash(Array(text.utf8))))
            let again = try await ma.send(agent, .get, "/pending/\(id)")
            #expect(again.status == .gone)
            #expect(try json(again)["error"]?.stringValue == "gone")
        }
    }

    @Test("a proposal is also accepted at POST /token with mission_proposal")
    func proposalAtTokenEndpoint() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let response = try await ma.send(agent, .post, "/token", json: #"{"mission_proposal":"Plan"}"#)
            #expect(response.status == .accepted)
            #expect(response.headers["Location"]?.hasPrefix("/pending/") == true)
        }
    }

    @Test("token granted: an aa-auth+jwt with ps = iss, bound to the agent key, verified with the JWKS")
    func tokenGranted() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let s256 = try await ma.approvedMission(for: agent)
            let response = try await ma.send(
                agent, .post, "/token",
                json:
                    #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"search","justification":"find fares"}"#
            )
            #expect(response.status == .ok)
            #expect(response.headers["Cache-Control"] == "no-store")
            let body = try json(response)
            #expect(body["scope"]?.stringValue == "search")
            #expect(body["expires_in"]?.integerValue == 300)
            let token = try #require(body["auth_token"]?.stringValue)
            let unverified = try JWT.decodeUnverified(token)
            #expect(unverified.header.type == "aa-auth+jwt")
            let keyID = try #require(unverified.header.keyID)
            let key = try #require(ma.app.authority.jwks().key(withID: keyID))
            let claims = try unverified.verify(
                with: key,
                validator: JWTValidator(timeSource: ma.clock, expectedType: "aa-auth+jwt", audience: TestMA.flights)
            ).claims
            #expect(claims["iss"]?.stringValue == TestMA.issuer)
            #expect(claims["ps"]?.stringValue == TestMA.issuer)
            #expect(claims["sub"]?.stringValue == agent.id)
            #expect(claims["mission_s256"]?.stringValue == s256)
            #expect(claims["cnf"]?["jwk"]?["x"]?.stringValue == Base64URL.encode(agent.jwk.x))
        }
    }

    @Test("out of scope: 403 denied listing the scopes, never with Signature-Error")
    func tokenDenied() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let s256 = try await ma.approvedMission(for: agent)
            let response = try await ma.send(
                agent, .post, "/token",
                json: #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"search book"}"#)
            #expect(response.status == .forbidden)
            #expect(response.headers["Signature-Error"] == nil)
            #expect(response.headers["Content-Type"] == "application/problem+json")
            let body = try json(response)
            #expect(body["error"]?.stringValue == "denied")
            #expect(body["detail"]?.stringValue == "outside mission scope")
            #expect(body["outside_scopes"] == .array([.string("book")]))
        }
    }

    @Test("deferred token request: 202, a reviewer allows once, the poll delivers the token")
    func tokenDeferredThenAllowed() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let s256 = try await ma.approvedMission(
                for: agent, review: #"[{"resource":"https://flights.example","scopes":["book"]}]"#)
            let deferred = try await ma.send(
                agent, .post, "/token",
                json: #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"book"}"#)
            #expect(deferred.status == .accepted)
            #expect(deferred.headers["AAuth-Requirement"] == "requirement=approval")
            let id = try ma.pendingID(deferred)
            #expect(await ma.admin(.post, "/reviews/\(id)/approve", json: #"{"mode":"once"}"#).status == .ok)
            let granted = try await ma.send(agent, .get, "/pending/\(id)")
            #expect(granted.status == .ok)
            #expect(try json(granted)["scope"]?.stringValue == "book")
            // Allowed once: the next identical request is deferred again.
            let next = try await ma.send(
                agent, .post, "/token",
                json: #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"book"}"#)
            #expect(next.status == .accepted)
        }
    }

    @Test("allow and amend: later requests for the same access pass directly")
    func tokenDeferredThenAmended() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let s256 = try await ma.approvedMission(
                for: agent, review: #"[{"resource":"https://flights.example","scopes":["book"]}]"#)
            let body = #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"book"}"#
            let id = try ma.pendingID(try await ma.send(agent, .post, "/token", json: body))
            #expect(await ma.admin(.post, "/reviews/\(id)/approve", json: #"{"mode":"amend"}"#).status == .ok)
            #expect(try await ma.send(agent, .get, "/pending/\(id)").status == .ok)
            #expect(try await ma.send(agent, .post, "/token", json: body).status == .ok)
        }
    }

    @Test("a reviewer denies: the poll answers 403 denied with the reason, then 410")
    func deniedOnPoll() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let id = try ma.pendingID(try await ma.send(agent, .post, "/mission", json: #"{"description":"x"}"#))
            #expect(await ma.admin(.post, "/reviews/\(id)/deny", json: #"{"reason":"not today"}"#).status == .ok)
            let denied = try await ma.send(agent, .get, "/pending/\(id)")
            #expect(denied.status == .forbidden)
            #expect(try json(denied)["error"]?.stringValue == "denied")
            #expect(try json(denied)["detail"]?.stringValue == "not today")
            #expect(try await ma.send(agent, .get, "/pending/\(id)").status == .gone)
        }
    }

    @Test("suspended, resumed, revoked: mission_suspended, then a token, then mission_terminated")
    func lifecycleSeenByTheAgent() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let s256 = try await ma.approvedMission(for: agent)
            let body = #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"search"}"#
            #expect(await ma.admin(.post, "/missions/\(s256)/suspend", json: #"{"reason":"audit"}"#).status == .ok)
            let suspended = try await ma.send(agent, .post, "/token", json: body)
            #expect(suspended.status == .forbidden)
            #expect(try json(suspended)["error"]?.stringValue == "mission_suspended")
            #expect(try json(suspended)["mission_status"]?.stringValue == "suspended")
            #expect(await ma.admin(.post, "/missions/\(s256)/resume").status == .ok)
            #expect(try await ma.send(agent, .post, "/token", json: body).status == .ok)
            #expect(await ma.admin(.post, "/missions/\(s256)/revoke", json: #"{"reason":"done"}"#).status == .ok)
            let revoked = try await ma.send(agent, .post, "/token", json: body)
            #expect(revoked.status == .forbidden)
            #expect(revoked.headers["Signature-Error"] == nil)
            let problem = try json(revoked)
            #expect(problem["error"]?.stringValue == "mission_terminated")
            #expect(problem["mission_status"]?.stringValue == "terminated")
            #expect(problem["termination_reason"]?.stringValue == "revoked")
        }
    }

    @Test("another agent's mission and an unknown one answer byte-identical 404s")
    func foreignAndUnknownAreIdentical() async throws {
        try await TestMA.with { ma in
            let owner = try TestAgent.jwt(now: ma.now)
            let other = try TestAgent.jwt(now: ma.now)
            let s256 = try await ma.approvedMission(for: owner)
            let unknown = Base64URL.encode(SHA256.hash(Array("nothing".utf8)))
            for (method, path, body) in [
                (HTTPMethod.get, "/mission/%@", nil), (.post, "/mission/%@", #"{"action":"complete"}"#),
                (.post, "/token", #"{"mission_s256":"%@","resource":"https://flights.example","scope":"search"}"#),
            ] as [(HTTPMethod, String, String?)] {
                let foreign = try await ma.send(
                    other, method, path.replacingOccurrences(of: "%@", with: s256),
                    json: body?.replacingOccurrences(of: "%@", with: s256))
                let missing = try await ma.send(
                    other, method, path.replacingOccurrences(of: "%@", with: unknown),
                    json: body?.replacingOccurrences(of: "%@", with: unknown))
                #expect(foreign.status == .notFound)
                #expect(foreign.status == missing.status)
                #expect(foreign.headers == missing.headers)
                #expect(foreign.body == missing.body)
                #expect(try json(foreign)["error"]?.stringValue == "mission_not_found")
            }
        }
    }

    @Test("the owner reads, updates and completes its mission; acting after completion is mission_terminated")
    func ownerReadsUpdatesCompletes() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let s256 = try await ma.approvedMission(for: agent)
            let read = try await ma.send(agent, .get, "/mission/\(s256)")
            #expect(read.status == .ok)
            #expect(try json(read)["state"]?.stringValue == "active")
            #expect(try json(read)["envelope"]?["grants"]?.arrayValue?.count == 1)
            let updated = try await ma.send(
                agent, .post, "/mission/\(s256)", json: #"{"action":"update","description":"Trip\n\nAlso hotels."}"#)
            #expect(updated.status == .ok)
            #expect(try json(updated)["update"]?["sequence"]?.integerValue == 1)
            let completed = try await ma.send(
                agent, .post, "/mission/\(s256)", json: #"{"action":"complete","summary":"Booked."}"#)
            #expect(completed.status == .ok)
            #expect(try json(completed)["state"]?.stringValue == "completed")
            let again = try await ma.send(agent, .post, "/mission/\(s256)", json: #"{"action":"complete"}"#)
            #expect(again.status == .forbidden)
            #expect(try json(again)["error"]?.stringValue == "mission_terminated")
            #expect(try json(again)["termination_reason"]?.stringValue == "completed")
        }
    }

    @Test(
        "strict bodies: 400 invalid_request",
        arguments: [
            ("/token", "{"), ("/token", "[]"),
            ("/token", #"{"mission_s256":"x","resource":"https://flights.example","scope":"a","extra":1}"#),
            ("/token", #"{"mission_s256":"AAAA","resource":"https://flights.example","scope":"a"}"#),
            ("/token", #"{"mission_s256":"\#(String(repeating: "A", count: 43))","resource":7,"scope":"a"}"#),
            (
                "/token",
                #"{"mission_s256":"\#(String(repeating: "A", count: 43))","resource":"https://flights.example","scope":"a  b"}"#
            ),
            (
                "/token",
                #"{"mission_s256":"\#(String(repeating: "A", count: 43))","resource":"https://flights.example"}"#
            ),
            ("/mission", #"{"description":"a","surprise":true}"#),
            ("/mission", #"{"description":"a","description":"b"}"#),
            ("/mission", #"{"mission_proposal":"a","description":"b"}"#), ("/mission", #"{"description":5}"#),
            ("/mission/\(String(repeating: "A", count: 43))", #"{"action":"dance"}"#),
            ("/mission/\(String(repeating: "A", count: 43))", #"{"summary":"no action"}"#),
            ("/mission/short", #"{"action":"complete"}"#),
        ])
    func strictBodies(path: String, body: String) async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let response = try await ma.send(agent, .post, path, json: body)
            #expect(response.status == .badRequest)
            #expect(try json(response)["error"]?.stringValue == "invalid_request")
        }
    }

    @Test("signature failures are 401 with Signature-Error and a sig-error problem type")
    func signatureFailures() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let body = #"{"description":"x"}"#
            var requests: [(String, HTTPRequest)] = []
            var unsigned = try agent.request(.post, "/mission", json: body, created: ma.now)
            unsigned.headers.remove(name: "Signature")
            requests.append(("invalid_signature", unsigned))
            requests.append(
                (
                    "invalid_signature",
                    try agent.request(.post, "/mission", json: body, created: ma.now, tamper: #"{"description":"y"}"#)
                ))
            requests.append(
                ("invalid_signature", try agent.request(.post, "/mission", json: body, created: ma.now - 600)))
            requests.append(
                (
                    "invalid_signature",
                    try agent.request(.post, "/mission", json: body, host: "evil.example", created: ma.now)
                ))
            for (code, request) in requests {
                let response = await ma.respond(request)
                #expect(response.status == .unauthorized)
                #expect(response.headers["Signature-Error"] == "error=\(code)")
                #expect(try json(response)["type"]?.stringValue == "urn:ietf:params:sig-error:\(code)")
                #expect(try json(response)["error"]?.stringValue == code)
            }
        }
    }

    @Test("an unsupported Signature-Key scheme is 401 unsupported_scheme with Accept-Signature-Scheme")
    func unsupportedScheme() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            var request = try agent.request(.post, "/mission", json: #"{"description":"x"}"#, created: ma.now)
            request.headers.replaceOrAdd(name: "Signature-Key", value: #"sig=x509;x5u="https://certs.example/a""#)
            let response = await ma.respond(request)
            #expect(response.status == .unauthorized)
            #expect(response.headers["Signature-Error"] == "error=unsupported_scheme")
            #expect(response.headers["Accept-Signature-Scheme"] == "jwt, hwk")
            #expect(response.headers["Cache-Control"] == "no-store")
        }
    }

    @Test("a replayed signature is refused")
    func replay() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let request = try agent.request(.post, "/mission", json: #"{"description":"x"}"#, created: ma.now)
            #expect(await ma.respond(request).status == .accepted)
            let replayed = await ma.respond(request)
            #expect(replayed.status == .unauthorized)
            #expect(replayed.headers["Signature-Error"] == "error=invalid_signature")
        }
    }

    @Test("an unregistered bare key is refused; registered by an admin, it may propose")
    func hwkRegistration() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.hwk()
            let refused = try await ma.send(agent, .post, "/mission", json: #"{"description":"x"}"#)
            #expect(refused.status == .unauthorized)
            #expect(refused.headers["Signature-Error"] == "error=invalid_key")
            let jwk = String(decoding: agent.jwk.jsonData, as: UTF8.self)
            let registered = await ma.admin(.post, "/agents", json: #"{"name":"bare","jwk":\#(jwk)}"#)
            #expect(registered.status == .created)
            #expect(try json(registered)["agent_id"]?.stringValue == agent.id)
            #expect(try await ma.send(agent, .post, "/mission", json: #"{"description":"x"}"#).status == .accepted)
            #expect(await ma.admin(.delete, "/agents/\(agent.jwk.thumbprint())").status == .noContent)
            #expect(try await ma.send(agent, .post, "/mission", json: #"{"description":"x"}"#).status == .unauthorized)
        }
    }

    @Test("clarification rounds: the poll carries the question, the answer resumes polling, then approval")
    func clarificationRounds() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let id = try ma.pendingID(try await ma.send(agent, .post, "/mission", json: #"{"description":"x"}"#))
            for round in 1...2 {
                #expect(
                    await ma.admin(.post, "/reviews/\(id)/clarify", json: #"{"question":"Why \#(round)?"}"#).status
                        == .ok)
                ma.waitPollInterval()
                let asked = try await ma.send(agent, .get, "/pending/\(id)")
                #expect(asked.status == .accepted)
                #expect(asked.headers["AAuth-Requirement"] == "requirement=clarification")
                #expect(try json(asked)["clarification"]?.stringValue == "Why \(round)?")
                let answered = try await ma.send(
                    agent, .post, "/pending/\(id)",
                    json: #"{"action":"clarification_response","clarification_response":"Because \#(round)."}"#)
                #expect(answered.status == .accepted)
                #expect(answered.headers["AAuth-Requirement"] == "requirement=approval")
            }
            let review = await ma.admin(.get, "/reviews/\(id)")
            #expect(try json(review)["clarifications"]?.arrayValue?.count == 2)
            let unknown = try await ma.send(agent, .post, "/pending/\(id)", json: #"{"action":"updated_request"}"#)
            #expect(unknown.status == .badRequest)
            #expect(await ma.admin(.post, "/reviews/\(id)/approve").status == .ok)
            ma.waitPollInterval()
            #expect(try await ma.send(agent, .get, "/pending/\(id)").status == .ok)
        }
    }

    @Test("cancel: 204, then the pending URL is gone; another agent's cancel is a 404")
    func cancel() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let other = try TestAgent.jwt(now: ma.now)
            let id = try ma.pendingID(try await ma.send(agent, .post, "/mission", json: #"{"description":"x"}"#))
            #expect(try await ma.send(other, .delete, "/pending/\(id)").status == .notFound)
            #expect(try await ma.send(other, .get, "/pending/\(id)").status == .notFound)
            #expect(try await ma.send(agent, .delete, "/pending/\(id)").status == .noContent)
            #expect(try await ma.send(agent, .get, "/pending/\(id)").status == .gone)
        }
    }

    @Test("polling faster than Retry-After: 429 slow_down with Retry-After")
    func slowDown() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let id = try ma.pendingID(try await ma.send(agent, .post, "/mission", json: #"{"description":"x"}"#))
            #expect(try await ma.send(agent, .get, "/pending/\(id)").status == .accepted)
            let fast = try await ma.send(agent, .get, "/pending/\(id)")
            #expect(fast.status == .tooManyRequests)
            #expect(fast.headers["Retry-After"] == "5")
            #expect(try json(fast)["error"]?.stringValue == "slow_down")
        }
    }

    @Test("expiry: an unanswered review answers 408 expired; a mission past expires_at is terminated")
    func expiry() async throws {
        try await TestMA.with(configure: { $0.reviews.proposalTTLSeconds = 60 }) { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let id = try ma.pendingID(try await ma.send(agent, .post, "/mission", json: #"{"description":"x"}"#))
            ma.clock.advance(by: 61)
            let expired = try await ma.send(agent, .get, "/pending/\(id)")
            #expect(expired.status == .requestTimeout)
            #expect(try json(expired)["error"]?.stringValue == "expired")

            let s256 = try await ma.approvedMission(for: agent, expiresIn: 120)
            ma.clock.advance(by: 121)
            let late = try await ma.send(
                agent, .post, "/token",
                json: #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"search"}"#)
            #expect(late.status == .forbidden)
            #expect(try json(late)["termination_reason"]?.stringValue == "expired")
        }
    }

    @Test("the expiry sweep records expired missions and reviews without any request")
    func sweep() async throws {
        try await TestMA.with(configure: { $0.reviews.proposalTTLSeconds = 60 }) { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let s256 = try await ma.approvedMission(for: agent, expiresIn: 120)
            let id = try ma.pendingID(try await ma.send(agent, .post, "/mission", json: #"{"description":"y"}"#))
            ma.clock.advance(by: 121)
            await ma.app.sweeper.sweep()
            #expect(try json(await ma.admin(.get, "/missions/\(s256)"))["mission"]?["state"]?.stringValue == "expired")
            #expect(try json(await ma.admin(.get, "/reviews/\(id)"))["state"]?.stringValue == "expired")
        }
    }

    @Test("Prefer: wait holds the poll until a reviewer decides", .timeLimit(.minutes(1)))
    func longPollReleasedByDecision() async throws {
        try await TestMA.with(configure: { $0.reviews.maxWaitSeconds = 3600 }) { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let id = try ma.pendingID(try await ma.send(agent, .post, "/mission", json: #"{"description":"x"}"#))
            let poll = Task { try await ma.send(agent, .get, "/pending/\(id)", headers: [("Prefer", "wait=3600")]) }
            while ma.app.authority.notifier.waiterCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
            #expect(await ma.admin(.post, "/reviews/\(id)/approve").status == .ok)
            let answered = try await poll.value
            #expect(answered.status == .ok)
            #expect(try json(answered)["s256"] != nil)
        }
    }

    @Test("a long poll woken by a question answers 202 with the clarification at once", .timeLimit(.minutes(1)))
    func longPollWokenByQuestion() async throws {
        try await TestMA.with(configure: { $0.reviews.maxWaitSeconds = 3600 }) { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let id = try ma.pendingID(try await ma.send(agent, .post, "/mission", json: #"{"description":"x"}"#))
            let poll = Task { try await ma.send(agent, .get, "/pending/\(id)", headers: [("Prefer", "wait=3600")]) }
            while ma.app.authority.notifier.waiterCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
            #expect(
                await ma.admin(.post, "/reviews/\(id)/clarify", json: #"{"question":"Which dates?"}"#).status == .ok)
            let answered = try await poll.value
            #expect(answered.status == .accepted)
            #expect(answered.headers["AAuth-Requirement"] == "requirement=clarification")
            #expect(try json(answered)["clarification"]?.stringValue == "Which dates?")
        }
    }

    @Test(
        "Prefer: wait on the initial request: the decision, if it comes in time, is the answer", .timeLimit(.minutes(1))
    )
    func initialRequestHeld() async throws {
        try await TestMA.with(configure: { $0.reviews.maxWaitSeconds = 3600 }) { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let proposal = Task {
                try await ma.send(
                    agent, .post, "/mission", json: #"{"description":"held"}"#, headers: [("Prefer", "wait=3600")])
            }
            while ma.app.authority.notifier.waiterCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
            let queue = try json(await ma.admin(.get, "/reviews?status=pending"))
            let id = try #require(queue["reviews"]?.arrayValue?.first?["id"]?.stringValue)
            #expect(await ma.admin(.post, "/reviews/\(id)/deny", json: #"{"reason":"no"}"#).status == .ok)
            let answered = try await proposal.value
            #expect(answered.status == .forbidden)
            #expect(try json(answered)["error"]?.stringValue == "denied")
        }
    }

    @Test("a long poll that nobody answers ends with 202 and Retry-After, within the configured cap")
    func longPollTimesOut() async throws {
        try await TestMA.with(configure: { $0.reviews.maxWaitSeconds = 1 }) { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let id = try ma.pendingID(try await ma.send(agent, .post, "/mission", json: #"{"description":"x"}"#))
            let response = try await ma.send(agent, .get, "/pending/\(id)", headers: [("Prefer", "wait=600")])
            #expect(response.status == .accepted)
            #expect(response.headers["Retry-After"] == "5")
            #expect(response.headers["Location"] == "/pending/\(id)")
            #expect(response.headers["Preference-Applied"] == "wait=1")
        }
    }

    @Test("fail closed: when the audit cannot be written, 503 temporarily_unavailable and no token")
    func failClosed() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let s256 = try await ma.approvedMission(for: agent)
            let database = ma.app.authority.database
            try await database.write { db in
                let pages = try db.firstRow("PRAGMA page_count")?.int64(0) ?? 0
                try db.execute("PRAGMA max_page_count = \(pages)")
            }
            var unavailable: HTTPResponse?
            for index in 0..<2_000 {
                let response = try await ma.send(
                    agent, .post, "/token",
                    json:
                        #"{"mission_s256":"\#(s256)","resource":"https://flights.example","scope":"search","justification":"\#(index)"}"#
                )
                if response.status != .ok {
                    unavailable = response
                    break
                }
                #expect(try json(response)["auth_token"] != nil)
            }
            let refused = try #require(unavailable)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers["Retry-After"] == "5")
            #expect(try json(refused)["error"]?.stringValue == "temporarily_unavailable")
            #expect(try json(refused)["auth_token"] == nil)
            let unrecorded = try database.read { db in
                try db.firstRow(
                    "SELECT count(*) FROM issued_tokens t LEFT JOIN audit_events a ON a.token_id = t.jti WHERE a.seq IS NULL"
                )?.int64(0)
            }
            #expect(unrecorded == 0)
        }
    }
}
