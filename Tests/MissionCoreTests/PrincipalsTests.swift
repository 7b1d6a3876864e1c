import Foundation
import Testing
@testable import MissionCore

@Suite struct PrincipalsTests {
    @Test func adminKeyIDsNeverHoldADashOrUnderscore() {
        // A leading "-" made `admin-key revoke ID` read the id as an option (seen in CI-like runs).
        for _ in 0..<2_000 {
            let (secret, key) = AdminKey.make(
                name: "n", role: .auditor, at: Date(timeIntervalSince1970: 0), random: SystemRandomSource())
            #expect(!key.id.contains("-") && !key.id.contains("_"))
            #expect(AdminKey.keyID(inSecret: secret) == key.id)
        }
    }

    @Test(arguments: AdminRole.allCases)
    func rolePermissions(role: AdminRole) {
        let expected: [AdminRole: Set<AdminPermission>] = [
            .admin: [.read, .decideReviews, .manageMissions, .postBusinessEvents, .manageAgents, .manageKeys],
            .reviewer: [.read, .decideReviews],
            .auditor: [.read],
            .events: [.postBusinessEvents],
        ]
        for permission in AdminPermission.allCases {
            #expect(role.allows(permission) == expected[role]?.contains(permission), "\(role) \(permission)")
        }
    }

    @Test func adminKeySecretIsShownOnceAndStoredHashed() throws {
        let (secret, key) = AdminKey.make(
            name: "ops", role: .admin, at: Fixture.approvedAt, random: CountingRandomSource())
        #expect(secret.hasPrefix("ma_"))
        #expect(secret.count == 3 + 8 + 1 + 43)
        #expect(key.secretHash == SHA256.hash(Array(secret.utf8)))
        #expect(!key.id.isEmpty && !key.id.contains("_"))
        #expect(AdminKey.keyID(inSecret: secret) == key.id)
        #expect(key.verify(presented: secret))
        var tampered = Array(secret)
        tampered[tampered.count - 1] = tampered.last == "A" ? "B" : "A"
        #expect(!key.verify(presented: String(tampered)))
        #expect(AdminKey.keyID(inSecret: "Bearer nonsense") == nil)
        let encoded = String(decoding: try JSONEncoder().encode(key), as: UTF8.self)
        #expect(!encoded.contains(String(secret.suffix(43))))
    }

    @Test func revokedKeyNoLongerVerifies() {
        var (secret, key) = AdminKey.make(
            name: "ops", role: .reviewer, at: Fixture.approvedAt, random: CountingRandomSource())
        key.revoke(at: Fixture.approvedAt + 1)
        key.revoke(at: Fixture.approvedAt + 2)
        #expect(key.revokedAt == Fixture.approvedAt + 1)
        #expect(!key.verify(presented: secret))
        secret = ""
        #expect(secret.isEmpty)
    }

    @Test func registeredAgentKey() throws {
        let key = try RegisteredAgentKey(
            jwk: #"{"kty":"OKP"}"#, thumbprint: "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k",
            name: "laptop", registeredAt: Fixture.approvedAt)
        #expect(key.agentID == "urn:jkt:sha-256:kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
        #expect(throws: MissionError.self) {
            try RegisteredAgentKey(jwk: "{}", thumbprint: "short", name: "x", registeredAt: Fixture.approvedAt)
        }
    }

    @Test func agentProvider() throws {
        _ = try AgentProvider(issuer: "https://agent.example", keys: .discovery)
        _ = try AgentProvider(issuer: "https://agent.example/tenant", keys: .pinned(jwks: #"{"keys":[]}"#))
        for bad in ["http://agent.example", "https://agent.example?x=1", "https://user@agent.example", "https://"] {
            #expect(throws: MissionError.self) { try AgentProvider(issuer: bad, keys: .discovery) }
        }
    }
}
