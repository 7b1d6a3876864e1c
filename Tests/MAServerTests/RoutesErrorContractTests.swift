import Foundation
import HTTPKit
@testable import MissionCore
import Testing

@testable import MAServer

/// Every error an agent can meet, checked against one contract (DESIGN §4; wire notes §3.6, §4.1–§4.4;
/// Docs/Protocol.md): problem+json with `error`, `Cache-Control: no-store`, the members and headers each code
/// needs, and `Signature-Error` on 401 only (never on a 403 or any other refusal). Serialized: each case builds a
/// whole MA, and sixteen at once starve the two-thread cooperative pool that other suites' servers answer on.
@Suite("Agent-facing error contract", .serialized)
struct RoutesErrorContractTests {
    /// One row: what a response must look like.
    struct Contract: Sendable, CustomTestStringConvertible {
        let scenario: Scenario
        let status: Int
        let error: String
        /// Body members that must be present with these values (`nil`: present, any value).
        var members: [String: String?] = [:]
        /// Body members that must be absent.
        var absentMembers: [String] = []
        /// Header fields that must be present (`nil`: any value).
        var headers: [String: String?] = [:]

        var testDescription: String { "\(scenario) → \(status) \(error)" }
    }

    /// How the response is provoked, through the real routes.
    enum Scenario: String, Sendable {
        case unknownMissionRead, foreignMissionRead, unknownMissionToken, foreignMissionToken
        case suspendedToken, revokedToken, completedToken, completedUpdate
        case outsideEnvelope, pollTooFast, pollAfterDelivery, unknownPending, deniedProposal
        case unsignedRequest, malformedBody, unknownMember
    }

    static let contracts: [Contract] = [
        Contract(
            scenario: .unknownMissionRead, status: 404, error: "mission_not_found",
            absentMembers: ["mission_status", "termination_reason"]),
        Contract(
            scenario: .foreignMissionRead, status: 404, error: "mission_not_found",
            absentMembers: ["mission_status", "termination_reason"]),
        Contract(scenario: .unknownMissionToken, status: 404, error: "mission_not_found"),
        Contract(scenario: .foreignMissionToken, status: 404, error: "mission_not_found"),
        Contract(
            scenario: .suspendedToken, status: 403, error: "mission_suspended",
            members: ["mission_status": "suspended"],
            absentMembers: ["termination_reason"]),
        Contract(
            scenario: .revokedToken, status: 403, error: "mission_terminated",
            members: ["mission_status": "terminated", "termination_reason": "revoked"]),
        Contract(
            scenario: .completedToken, status: 403, error: "mission_terminated",
            members: ["mission_status": "terminated", "termination_reason": "completed"]),
        Contract(
            scenario: .completedUpdate, status: 403, error: "mission_terminated",
            members: ["mission_status": "terminated", "termination_reason": "completed"]),
        Contract(scenario: .outsideEnvelope, status: 403, error: "denied", members: ["outside_scopes": nil]),
        Contract(scenario: .pollTooFast, status: 429, error: "slow_down", headers: ["Retry-After": "5"]),
        Contract(scenario: .pollAfterDelivery, status: 410, error: "gone"),
        Contract(scenario: .unknownPending, status: 404, error: "not_found"),
        Contract(scenario: .deniedProposal, status: 403, error: "denied"),
        Contract(
            scenario: .unsignedRequest, status: 401, error: "invalid_signature", headers: ["Signature-Error": nil]),
        Contract(scenario: .malformedBody, status: 400, error: "invalid_request"),
        Contract(
            scenario: .unknownMember, status: 400, error: "invalid_request",
            members: ["detail": #"unknown member "surprise""#]),
    ]

    static let tokenBody = #"{"mission_s256":"%@","resource":"https://flights.example","scope":"search"}"#

    @Test("each agent-facing refusal keeps its contract", arguments: contracts)
    func contract(_ contract: Contract) async throws {
        try await TestMA.with { ma in
            let response = try await Self.provoke(contract.scenario, ma: ma)
            #expect(response.status.code == contract.status)
            #expect(response.headers["Content-Type"] == "application/problem+json")
            #expect(response.headers["Cache-Control"] == "no-store")
            // Signature-Error belongs to 401 only (wire notes §1.6); a 403 must never carry it.
            #expect((response.headers["Signature-Error"] != nil) == (contract.status == 401))
            let body = try json(response)
            #expect(body["error"]?.stringValue == contract.error)
            for (name, value) in contract.members {
                let member = try #require(body[name], "member \(name)")
                if let value { #expect(member.stringValue == value) }
            }
            for name in contract.absentMembers { #expect(body[name] == nil, "member \(name)") }
            for (name, value) in contract.headers {
                let field = try #require(response.headers[name], "header \(name)")
                if let value { #expect(field == value) }
            }
        }
    }

    /// Drives the routes into `scenario` and returns the refusal.
    static func provoke(_ scenario: Scenario, ma: TestMA) async throws -> HTTPResponse {
        let agent = try TestAgent.jwt(now: ma.now)
        let unknown = Base64URL.encode(SHA256.hash(Array("no such mission".utf8)))
        func token(_ s256: String) async throws -> HTTPResponse {
            try await ma.send(agent, .post, "/token", json: tokenBody.replacingOccurrences(of: "%@", with: s256))
        }
        switch scenario {
        case .unknownMissionRead:
            return try await ma.send(agent, .get, "/mission/\(unknown)")
        case .foreignMissionRead:
            let s256 = try await ma.approvedMission(for: try TestAgent.jwt(now: ma.now))
            return try await ma.send(agent, .get, "/mission/\(s256)")
        case .unknownMissionToken:
            return try await token(unknown)
        case .foreignMissionToken:
            return try await token(try await ma.approvedMission(for: try TestAgent.jwt(now: ma.now)))
        case .suspendedToken:
            let s256 = try await ma.approvedMission(for: agent)
            _ = await ma.admin(.post, "/missions/\(s256)/suspend", json: #"{"reason":"audit"}"#)
            return try await token(s256)
        case .revokedToken:
            let s256 = try await ma.approvedMission(for: agent)
            _ = await ma.admin(.post, "/missions/\(s256)/revoke", json: #"{"reason":"done"}"#)
            return try await token(s256)
        case .completedToken, .completedUpdate:
            let s256 = try await ma.approvedMission(for: agent)
            _ = try await ma.send(agent, .post, "/mission/\(s256)", json: #"{"action":"complete"}"#)
            if scenario == .completedToken { return try await token(s256) }
            return try await ma.send(
                agent, .post, "/mission/\(s256)", json: #"{"action":"update","description":"more"}"#)
        case .outsideEnvelope:
            let s256 = try await ma.approvedMission(for: agent)
            return try await ma.send(
                agent, .post, "/token",
                json: #"{"mission_s256":"\#(s256)","resource":"https://hotels.example","scope":"book"}"#)
        case .pollTooFast:
            let id = try ma.pendingID(try await ma.send(agent, .post, "/mission", json: #"{"description":"x"}"#))
            _ = try await ma.send(agent, .get, "/pending/\(id)")
            return try await ma.send(agent, .get, "/pending/\(id)")
        case .pollAfterDelivery:
            let id = try ma.pendingID(try await ma.send(agent, .post, "/mission", json: #"{"description":"x"}"#))
            _ = await ma.admin(.post, "/reviews/\(id)/approve", json: "{}")
            _ = try await ma.send(agent, .get, "/pending/\(id)")
            return try await ma.send(agent, .get, "/pending/\(id)")
        case .unknownPending:
            return try await ma.send(agent, .get, "/pending/no-such-review")
        case .deniedProposal:
            let id = try ma.pendingID(try await ma.send(agent, .post, "/mission", json: #"{"description":"x"}"#))
            _ = await ma.admin(.post, "/reviews/\(id)/deny", json: #"{"reason":"no"}"#)
            return try await ma.send(agent, .get, "/pending/\(id)")
        case .unsignedRequest:
            var request = try agent.request(.get, "/mission/\(unknown)", created: ma.now)
            request.headers.remove(name: "Signature")
            return await ma.respond(request)
        case .malformedBody:
            return try await ma.send(agent, .post, "/token", json: #"{"mission_s256":5}"#)
        case .unknownMember:
            return try await ma.send(agent, .post, "/mission", json: #"{"description":"a","surprise":true}"#)
        }
    }

    @Test("a suspended mission is still readable by its owner (200 with state), not an error")
    func suspendedReadIsNotAnError() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let s256 = try await ma.approvedMission(for: agent)
            _ = await ma.admin(.post, "/missions/\(s256)/suspend", json: #"{"reason":"audit"}"#)
            let read = try await ma.send(agent, .get, "/mission/\(s256)")
            #expect(read.status == .ok)
            #expect(try json(read)["state"]?.stringValue == "suspended")
        }
    }

    @Test(
        "mapping level: 503s carry Retry-After; termination_reason only from the defined set; no Signature-Error",
        arguments: [
            (
                ErrorMapping.response(
                    for: AuthorityError.auditUnavailable, subject: .agentMission, logger: .init(label: "t")),
                503, "temporarily_unavailable", true
            ),
            (ResourceTokenError.keysUnavailable.response(), 503, "server_error", true),
            (ResourceTokenError.expired.response(), 400, "expired_resource_token", false),
            (
                ErrorMapping.response(
                    for: RouteError.tooManyFailures(retryAfter: 7), subject: .agentMission,
                    logger: .init(label: "t")), 429, "too_many_requests", true
            ),
        ] as [(HTTPResponse, Int, String, Bool)])
    func mappingLevel(response: HTTPResponse, status: Int, code: String, hasRetryAfter: Bool) throws {
        #expect(response.status.code == status)
        #expect(try json(response)["error"]?.stringValue == code)
        #expect((response.headers["Retry-After"] != nil) == hasRetryAfter)
        #expect(response.headers["Signature-Error"] == nil)
    }

    @Test(
        "termination_reason is sent only when it is a defined value",
        arguments: [("revoked", true), ("expired", true), ("completed", true), ("proposed", false), ("odd", false)])
    func terminationReasons(reason: String, sent: Bool) throws {
        let response = ErrorMapping.response(
            for: AuthorityError.terminated(reason: reason), subject: .agentMission, logger: .init(label: "t"))
        let body = try json(response)
        #expect(body["mission_status"]?.stringValue == "terminated")
        #expect((body["termination_reason"]?.stringValue == reason) == sent)
        #expect(sent || body["termination_reason"] == nil)
    }
}
