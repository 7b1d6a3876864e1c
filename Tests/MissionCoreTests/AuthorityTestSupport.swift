import Foundation
import Testing

@testable import MissionCore

/// A fresh MA on a temporary data directory with a manual clock, closed and removed afterwards.
func withAuthority<T>(
    configure: (inout MissionAuthority.Settings) throws -> Void = { _ in },
    _ body: (MissionAuthority, ManualTimeSource) async throws -> T
) async throws -> T {
    try await withTemporaryDirectory { directory in
        let clock = ManualTimeSource(Date(timeIntervalSince1970: 1_780_000_000))
        var settings = MissionAuthority.Settings(issuer: "https://ma.example")
        try configure(&settings)
        let authority = try await MissionAuthority.open(dataDirectory: directory, settings: settings, time: clock)
        defer { authority.close() }
        return try await body(authority, clock)
    }
}

enum AuthorityFixture {
    static let admin = AdminPrincipal(keyID: "adminkey", name: "ops", role: .admin)
    static let reviewer = AdminPrincipal(keyID: "reviewer", name: "rita", role: .reviewer)
    static let auditor = AdminPrincipal(keyID: "auditor1", name: "audra", role: .auditor)

    /// An agent with a fresh Ed25519 key.
    static func agent(_ id: String = "aauth:assistant@agent.example") throws -> AgentPrincipal {
        let key = try Ed25519.PrivateKey()
        return AgentPrincipal(id: id, publicKey: JWK(publicKey: key.publicKey))
    }

    static func proposal(
        _ text: String = "# Trip\n\nBook a flight.", form: ApprovedMission.Form = .markdown,
        resources: [(String, [String]?)] = []
    ) throws -> MissionProposal {
        try MissionProposal(
            form: form, text: text,
            resources: resources.map {
                ProposedResource(resource: try ResourcePattern($0.0), scopes: try $0.1.map(ScopeSet.init))
            })
    }

    /// A rule approving any agent for flights (search, fare.hold) and `*.example.com` reads.
    static func flightsRule() throws -> AutoApprovalRule {
        try AutoApprovalRule(
            agentPattern: AgentPattern.anyAgent,
            maxEnvelope: [
                AccessGrant(resource: "https://flights.example", scopes: ["search", "fare.hold"])
            ], maxLifetime: 86_400)
    }

    /// A mission approved by a reviewer with `envelope`, owned by `agent`.
    static func approvedMission(
        _ authority: MissionAuthority, agent: AgentPrincipal, envelope: AccessEnvelope, expiresIn: Int? = 3600,
        form: ApprovedMission.Form = .markdown
    ) async throws -> Mission {
        let outcome = try await authority.propose(agent: agent, proposal: proposal(form: form))
        guard case .pending(let review, _) = outcome else {
            Issue.record("expected a pending proposal")
            throw TestFailure()
        }
        try await authority.approve(
            reviewID: review.id, decision: .approveProposal(editedText: nil, envelope: envelope, expiresIn: expiresIn),
            by: reviewer)
        guard case .approved(let mission) = try await authority.poll(reviewID: review.id, agent: agent) else {
            Issue.record("expected the approved mission on poll")
            throw TestFailure()
        }
        return mission
    }

    static func envelope(
        grants: [(String, [String])] = [("https://flights.example", ["search", "fare.hold"])],
        review: [(String, [String])] = [("https://*.example.com", ["*"])], maxTokenLifetime: Int = 300
    ) throws -> AccessEnvelope {
        try AccessEnvelope(
            grants: grants.map { try AccessGrant(resource: $0.0, scopes: $0.1) },
            review: review.map { try AccessGrant(resource: $0.0, scopes: $0.1) }, maxTokenLifetime: maxTokenLifetime)
    }

    static func count(_ authority: MissionAuthority, _ sql: String, _ arguments: [SQLiteValue] = []) throws -> Int64 {
        try authority.database.read { db in try db.firstRow(sql, arguments)?.int64(0) ?? -1 }
    }
}
