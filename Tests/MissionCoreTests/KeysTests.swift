import Foundation
import Testing

@testable import MissionCore

@Suite("Keys: signing key store and principals")
struct KeysTests {
    @Test("key files are 0600 in a 0700 folder; rotation keeps the old key published for the token lifetime")
    func rotation() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualTimeSource()
            var settings = MissionAuthority.Settings(issuer: "https://ma.example")
            settings.maxTokenLifetime = 600
            let authority = try await MissionAuthority.open(dataDirectory: directory, settings: settings, time: clock)
            defer { authority.close() }
            let old = authority.currentSigningKeyID
            let folder = directory + "/keys"
            let folderMode = try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int
            let fileMode =
                try FileManager.default.attributesOfItem(atPath: folder + "/\(old).pem")[.posixPermissions] as? Int
            #expect(folderMode == 0o700 && fileMode == 0o600)

            let agent = try AuthorityFixture.agent()
            let mission = try await AuthorityFixture.approvedMission(
                authority, agent: agent, envelope: AuthorityFixture.envelope())
            guard
                case .granted(let before) = try await authority.requestAccess(
                    agent: agent, missionS256: mission.s256, resource: "https://flights.example", scopes: ["search"],
                    justification: nil)
            else { return }

            await #expect(throws: AuthorityError.forbidden) {
                try await authority.rotateSigningKey(by: AuthorityFixture.reviewer)
            }
            let new = try await authority.rotateSigningKey(by: AuthorityFixture.admin)
            #expect(new != old && authority.currentSigningKeyID == new)
            #expect(Set(authority.jwks().keys.compactMap(\.keyID)) == [old, new])
            let oldKey = try #require(authority.jwks().key(withID: old))
            let validator = JWTValidator(timeSource: clock, expectedType: "aa-auth+jwt")
            _ = try JWT.verify(before.token, key: oldKey.publicKey, validator: validator)

            clock.advance(by: 601)
            #expect(authority.jwks().keys.compactMap(\.keyID) == [new])
        }
    }

    @Test("admin keys authenticate by secret until revoked; lists never show secrets")
    func adminKeys() async throws {
        try await withAuthority { authority, clock in
            let (record, secret) = try await authority.createAdminKey(name: "ops", role: .reviewer, by: .system)
            #expect(secret.hasPrefix("ma_\(record.id)_"))
            let principal = try #require(try authority.authenticateAdmin(secret: secret))
            #expect(principal.keyID == record.id && principal.role == .reviewer && principal.name == "ops")
            var wrong = Array(secret)
            wrong[wrong.count - 1] = wrong.last == "A" ? "B" : "A"
            #expect(try authority.authenticateAdmin(secret: String(wrong)) == nil)
            #expect(try authority.authenticateAdmin(secret: "ma_short") == nil)
            await #expect(throws: AuthorityError.forbidden) {
                try await authority.createAdminKey(name: "escalate", role: .admin, by: principal)
            }
            clock.advance(by: 1)
            try await authority.revokeAdminKey(id: record.id, by: AuthorityFixture.admin)
            #expect(try authority.authenticateAdmin(secret: secret) == nil)
            await #expect(throws: AuthorityError.notFound) {
                try await authority.revokeAdminKey(id: record.id, by: AuthorityFixture.admin)
            }
            let listed = try authority.listAdminKeys()
            #expect(listed.map(\.id) == [record.id] && listed[0].revokedAt != nil)
            let created = try #require(try authority.audit(after: 0).first { $0.action == .adminKeyCreated })
            #expect(created.actor == "ma" && created.actorRole == .system)
            #expect(!String(decoding: created.canonicalBytes, as: UTF8.self).contains(secret))
        }
    }
}
