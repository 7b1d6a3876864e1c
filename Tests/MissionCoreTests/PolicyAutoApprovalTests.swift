import Foundation
import Testing
@testable import MissionCore

@Suite struct PolicyAutoApprovalTests {
    static func rule(_ agents: String = "aauth:*@agent.example") throws -> AutoApprovalRule {
        try AutoApprovalRule(
            agentPattern: AgentPattern(agents),
            maxEnvelope: [
                try AccessGrant(resource: "https://flights.example", scopes: ["search", "fare.hold"]),
                try AccessGrant(resource: "https://*.docs.example", scopes: ["*"]),
            ],
            maxLifetime: 86_400)
    }

    private func resource(_ text: String, _ scopes: [String]? = nil) throws -> ProposedResource {
        ProposedResource(resource: try ResourcePattern(text), scopes: try scopes.map(ScopeSet.init))
    }

    @Test func fitsAndGrantsOnlyWhatWasAsked() throws {
        let outcome = AutoApproval.evaluate(
            agent: Fixture.agent, resources: [try resource("https://flights.example", ["search"])],
            lifetime: 3600, rules: [try Self.rule()])
        let expected = try Fixture.envelope(grants: [("https://flights.example", ["search"])])
        #expect(outcome == .approve(envelope: expected, lifetime: 3600, ruleIndex: 0))
    }

    @Test func urlOnlyResourceGetsTheCoveringGrantsScopes() throws {
        let outcome = AutoApproval.evaluate(
            agent: Fixture.agent, resources: [try resource("https://api.docs.example")],
            lifetime: nil, rules: [try Self.rule()])
        let expected = try Fixture.envelope(grants: [("https://api.docs.example", ["*"])])
        #expect(outcome == .approve(envelope: expected, lifetime: 86_400, ruleIndex: 0))
    }

    @Test(arguments: [
        ("aauth:other@elsewhere.example", "https://flights.example", ["search"], 3600),  // agent does not match
        ("aauth:assistant@agent.example", "https://flights.example", ["book"], 3600),  // scope outside
        ("aauth:assistant@agent.example", "https://hotels.example", ["search"], 3600),  // resource outside
        ("aauth:assistant@agent.example", "https://flights.example", ["search"], 86_401),  // too long
        ("aauth:assistant@agent.example", "https://docs.example", ["read"], 3600),  // apex not in *.docs
    ])
    func doesNotFit(agent: String, resource: String, scopes: [String], lifetime: Int) throws {
        let outcome = AutoApproval.evaluate(
            agent: agent, resources: [try self.resource(resource, scopes)],
            lifetime: lifetime, rules: [try Self.rule()])
        #expect(outcome == .needsReviewer)
    }

    @Test func oneResourceOutsideSpoilsTheWholeProposal() throws {
        let outcome = AutoApproval.evaluate(
            agent: Fixture.agent,
            resources: [try resource("https://flights.example", ["search"]), try resource("https://hotels.example")],
            lifetime: nil, rules: [try Self.rule()])
        #expect(outcome == .needsReviewer)
    }

    @Test func noRulesMeansReviewer() throws {
        #expect(AutoApproval.evaluate(agent: Fixture.agent, resources: [], lifetime: nil, rules: []) == .needsReviewer)
    }

    @Test func laterRuleCanMatch() throws {
        let outcome = AutoApproval.evaluate(
            agent: Fixture.agent, resources: [], lifetime: 60,
            rules: [try Self.rule("aauth:nobody"), try Self.rule(Fixture.agent)])
        #expect(outcome == .approve(envelope: .empty, lifetime: 60, ruleIndex: 1))
    }

    @Test(arguments: [
        ("aauth:*@agent.example", "aauth:assistant@agent.example", true),
        ("aauth:*@agent.example", "aauth:@agent.example", true),
        ("aauth:*@agent.example", "aauth:x@agent.example.evil", false),
        ("*@agent.example", "aauth:a@b@agent.example", true),
        ("aauth:a*b*c", "aauth:aXbYc", true),
        ("aauth:a*b*c", "aauth:aXbY", false),
        ("exact", "exact", true),
        ("exact", "exactly", false),
    ])
    func agentGlob(pattern: String, agent: String, matches: Bool) throws {
        #expect(try AgentPattern(pattern).matches(agent) == matches)
    }

    @Test func bareStarMustBeExplicit() {
        #expect(throws: MissionError.self) { try AgentPattern("**") }
        #expect(AgentPattern.anyAgent.matches("anyone"))
    }

    @Test func hostileGlobInputStaysFast() throws {
        let pattern = try AgentPattern(String(repeating: "a*", count: 50) + "b")
        #expect(!pattern.matches(String(repeating: "a", count: 5000)))
    }
    static func ruleWithReview() throws -> AutoApprovalRule {
        try AutoApprovalRule(
            agentPattern: AgentPattern("aauth:*@agent.example"),
            maxEnvelope: [try AccessGrant(resource: "https://flights.example", scopes: ["search"])],
            review: [
                try AccessGrant(resource: "https://flights.example", scopes: ["book"]),
                try AccessGrant(resource: "https://hotels.example", scopes: ["*"]),
            ],
            maxLifetime: 86_400)
    }

    @Test func reviewEntriesBecomeTheReviewEnvelopeWhole() throws {
        let outcome = AutoApproval.evaluate(
            agent: Fixture.agent, resources: [try resource("https://flights.example", ["search"])],
            lifetime: 3600, rules: [try Self.ruleWithReview()])
        let expected = try Fixture.envelope(
            grants: [("https://flights.example", ["search"])],
            review: [("https://flights.example", ["book"]), ("https://hotels.example", ["*"])])
        #expect(outcome == .approve(envelope: expected, lifetime: 3600, ruleIndex: 0))
    }

    @Test(arguments: [
        ("https://flights.example", ["book"]),  // only in review
        ("https://hotels.example", ["search"]),  // only in review
    ])
    func reviewEntriesDoNotMakeAProposalFit(resource: String, scopes: [String]) throws {
        let outcome = AutoApproval.evaluate(
            agent: Fixture.agent, resources: [try self.resource(resource, scopes)], lifetime: nil,
            rules: [try Self.ruleWithReview()])
        #expect(outcome == .needsReviewer)
    }

    @Test func reviewListIsBounded() throws {
        let grant = try AccessGrant(resource: "https://flights.example", scopes: ["book"])
        #expect(throws: MissionError.self) {
            try AutoApprovalRule(
                agentPattern: .anyAgent, maxEnvelope: [],
                review: Array(repeating: grant, count: AccessEnvelope.maximumEntries), maxLifetime: 60)
        }
        let largest = try AutoApprovalRule(
            agentPattern: .anyAgent, maxEnvelope: [grant],
            review: Array(repeating: grant, count: AccessEnvelope.maximumEntries - 1), maxLifetime: 60)
        // One granted resource fills the envelope to its 200 entries exactly; a second would exceed it: no fit.
        let one = [try resource("https://flights.example", ["book"])]
        guard
            case .approve = AutoApproval.evaluate(agent: Fixture.agent, resources: one, lifetime: nil, rules: [largest])
        else {
            Issue.record("200 entries should fit")
            return
        }
        let outcome = AutoApproval.evaluate(
            agent: Fixture.agent, resources: one + one, lifetime: nil, rules: [largest])
        #expect(outcome == .needsReviewer)
    }

    @Test func codableRoundTripAndDecodingWithoutReview() throws {
        let rule = try Self.ruleWithReview()
        let data = try JSONEncoder().encode(rule)
        #expect(try JSONDecoder().decode(AutoApprovalRule.self, from: data) == rule)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["review"] = nil
        let older = try JSONDecoder().decode(
            AutoApprovalRule.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(older.review.isEmpty)
        #expect(older.maxEnvelope == rule.maxEnvelope)
        object["maxLifetime"] = 0
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(AutoApprovalRule.self, from: try JSONSerialization.data(withJSONObject: object))
        }
    }
}
