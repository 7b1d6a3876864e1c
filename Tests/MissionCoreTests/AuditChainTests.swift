import Foundation
import Testing
@testable import MissionCore

@Suite struct AuditChainTests {
    static func entries(_ count: Int) -> [AuditEntry] {
        (0..<count).map { index in
            AuditEntry(
                time: Fixture.approvedAt + Double(index), missionS256: "m1", actor: Fixture.agent, actorRole: .agent,
                action: index.isMultiple(of: 2) ? .accessGranted : .accessDenied, resource: "https://a.example",
                scopes: ["read"], decision: index.isMultiple(of: 2) ? "granted" : "denied",
                tokenID: "jti-\(index)", details: ["n": "\(index)"])
        }
    }

    static func chain(_ count: Int) -> [AuditEvent] {
        var chain = AuditChain()
        return entries(count).map { chain.append($0) }
    }

    /// Rebuilds `event` with one field changed, keeping its stored hashes (a forger's edit).
    static func edited(
        _ event: AuditEvent, reason: String? = "edited", sequence: Int64? = nil,
        previousHash: [UInt8]? = nil
    ) -> AuditEvent {
        AuditEvent(
            sequence: sequence ?? event.sequence, timeMilliseconds: event.timeMilliseconds,
            missionS256: event.missionS256, actor: event.actor, actorRole: event.actorRole, action: event.action,
            resource: event.resource, scopes: event.scopes, decision: event.decision, reason: reason,
            tokenID: event.tokenID, details: event.details, previousHash: previousHash ?? event.previousHash,
            hash: event.hash)
    }

    @Test func canonicalBytesAreDocumentedForm() {
        var chain = AuditChain()
        let event = chain.append(
            AuditEntry(
                time: Fixture.approvedAt + 0.25, missionS256: "m1", actor: "ma",
                actorRole: .system, action: .missionExpired, reason: "line\nbreak \u{1}"))
        let text = String(decoding: event.canonicalBytes, as: UTF8.self)
        #expect(
            text
                == #"{"action":"mission.expired","actor":"ma","actor_role":"system","mission_s256":"m1","reason":"line\nbreak \u0001","sequence":1,"time":"2026-04-07T14:30:00.250Z"}"#
        )
        var expected = SHA256.Hasher()
        expected.update([UInt8](repeating: 0, count: 32))
        expected.update(event.canonicalBytes)
        let digest = expected.finalize()
        #expect(event.hash == digest)
        #expect(event.previousHash == AuditCheckpoint.genesis.hash)
    }

    @Test(
        "the audit writer escapes strings exactly as CanonicalJSON does",
        arguments: [
            "", "plain", "quote \" and back\\slash", "controls \u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F}",
            "del \u{7F} slash / é ✓ 𝄞", "eyJ-not-a-token",
        ])
    func writerStringMatchesCanonicalJSON(text: String) {
        var writer = AuditCanonicalForm.Writer()
        writer.string(text)
        var expected: [UInt8] = []
        CanonicalJSON.writeString(text, to: &expected)
        #expect(writer.output == expected)
    }

    @Test(
        "the audit writer's integers and times match String and RFC3339",
        arguments: [
            Int64.min, -62_167_219_200_000, -86_400_001, -1, 0, 1, 999, 1_000, 951_782_400_000, 1_780_000_000_123,
            4_107_542_399_999, 253_402_300_799_999, 253_402_300_800_000, Int64.max / 1_000,
        ])
    func writerNumbersMatch(milliseconds: Int64) {
        var writer = AuditCanonicalForm.Writer()
        writer.integer(milliseconds)
        #expect(writer.output == Array(String(milliseconds).utf8))
        if milliseconds > Int64.min / 1_000 {
            var time = AuditCanonicalForm.Writer()
            time.time(epochMilliseconds: milliseconds)
            #expect(time.output == Array(("\"" + RFC3339.string(epochMilliseconds: milliseconds) + "\"").utf8))
        }
    }

    @Test("every day from 1970 to 2400 and its last millisecond is written as RFC3339 writes it")
    func writerTimesMatchOverCenturies() {
        var mismatches = 0
        // One writer for all, as the appender and the verifier use it (it caches the day).
        var writer = AuditCanonicalForm.Writer()
        for day in stride(from: Int64(0), to: 157_000, by: 1) {
            for milliseconds in [day * 86_400_000, day * 86_400_000 + 86_399_999, day * 86_400_000 + 43_200_007] {
                writer.output.removeAll()
                writer.time(epochMilliseconds: milliseconds)
                let expected = Array(("\"" + RFC3339.string(epochMilliseconds: milliseconds) + "\"").utf8)
                if writer.output != expected { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func reusedHasherMatchesSHA256() {
        let hasher = AuditHasher()
        let events = Self.chain(3)
        for event in events {
            let expected = SHA256.hash(event.previousHash + event.canonicalBytes)
            #expect(hasher.hash(event.previousHash, event.canonicalBytes) == expected)
            #expect(event.hash == expected)
        }
    }

    @Test func intactChainVerifies() {
        let events = Self.chain(10)
        #expect(AuditChain.verify(events) == .ok(count: 10))
        #expect(AuditChain.verify([]) == .ok(count: 0))
        #expect(events.map(\.sequence) == Array(1...10))
    }

    @Test func editIsDetected() {
        var events = Self.chain(6)
        events[3] = Self.edited(events[3])
        #expect(AuditChain.verify(events) == .broken(atSequence: 4, reason: .contentMismatch))
    }

    @Test func deletionIsDetected() {
        var events = Self.chain(6)
        events.remove(at: 2)
        #expect(AuditChain.verify(events) == .broken(atSequence: 3, reason: .missing))
    }

    @Test func deletionOfTheFirstEventIsDetected() {
        #expect(AuditChain.verify(Array(Self.chain(4).dropFirst())) == .broken(atSequence: 1, reason: .missing))
    }

    @Test func swapIsDetected() {
        var events = Self.chain(6)
        events.swapAt(2, 3)
        #expect(AuditChain.verify(events) == .broken(atSequence: 3, reason: .missing))
        // A swap that also renumbers still breaks the chain of hashes.
        var renumbered = Self.chain(6)
        let third = renumbered[2], fourth = renumbered[3]
        renumbered[2] = Self.edited(fourth, reason: fourth.reason, sequence: 3)
        renumbered[3] = Self.edited(third, reason: third.reason, sequence: 4)
        #expect(AuditChain.verify(renumbered) == .broken(atSequence: 3, reason: .previousHashMismatch))
    }

    @Test func insertIsDetected() {
        var events = Self.chain(4)
        var forger = AuditChain(after: AuditCheckpoint(sequence: 2, hash: events[1].hash))
        let forged = forger.append(
            AuditEntry(time: Fixture.approvedAt, actor: "x", actorRole: .admin, action: .missionRevoked))
        events.insert(forged, at: 2)
        // Renumber what follows, as a forger would; the old event 3 no longer links to its new predecessor.
        events[3] = Self.edited(events[3], reason: events[3].reason, sequence: 4)
        events[4] = Self.edited(events[4], reason: events[4].reason, sequence: 5)
        #expect(AuditChain.verify(events) == .broken(atSequence: 4, reason: .previousHashMismatch))
    }

    @Test func duplicateIsDetected() {
        var events = Self.chain(3)
        events.insert(events[1], at: 2)
        #expect(AuditChain.verify(events) == .broken(atSequence: 3, reason: .outOfOrder))
    }

    @Test func truncationIsDetectedAgainstACheckpoint() {
        let events = Self.chain(5)
        let head = AuditCheckpoint(sequence: 5, hash: events[4].hash)
        #expect(AuditChain.verify(events, expectedHead: head) == .ok(count: 5))
        #expect(
            AuditChain.verify(Array(events.prefix(3)), expectedHead: head) == .broken(atSequence: 4, reason: .truncated)
        )
        let wrong = AuditCheckpoint(sequence: 5, hash: events[3].hash)
        #expect(AuditChain.verify(events, expectedHead: wrong) == .broken(atSequence: 5, reason: .checkpointMismatch))
    }

    @Test func rebuiltChainDoesNotMatchAnOldCheckpoint() {
        let events = Self.chain(5)
        let checkpoint = AuditCheckpoint(sequence: 2, hash: events[1].hash)
        // A forger rewrites event 2 and recomputes everything from there.
        var forger = AuditChain(after: AuditCheckpoint(sequence: 1, hash: events[0].hash))
        var forged = [events[0]]
        for entry in Self.entries(5).dropFirst() {
            var changed = entry
            changed.reason = "rewritten"
            forged.append(forger.append(changed))
        }
        #expect(AuditChain.verify(forged) == .ok(count: 5))
        #expect(
            AuditChain.verify(forged, expectedHead: checkpoint) == .broken(atSequence: 2, reason: .checkpointMismatch))
    }

    @Test func verifiesAPageAfterACheckpoint() {
        let events = Self.chain(6)
        let start = AuditCheckpoint(sequence: 3, hash: events[2].hash)
        #expect(AuditChain.verify(Array(events.dropFirst(3)), after: start) == .ok(count: 3))
        #expect(AuditChain.verify(Array(events.dropFirst(4)), after: start) == .broken(atSequence: 4, reason: .missing))
    }

    @Test func credentialsAreRedacted() {
        var chain = AuditChain()
        let jwt = "eyJhbGciOiJFZDI1NTE5In0.eyJzdWIiOiJ4In0.c2ln"
        let event = chain.append(
            AuditEntry(
                time: Fixture.approvedAt, actor: "ma", actorRole: .system, action: .tokenIssued,
                reason: "issued \(jwt) ok", details: ["key": "ma_abcdefgh_" + String(repeating: "x", count: 43)]))
        #expect(event.reason == "issued [redacted] ok")
        #expect(event.details["key"] == "[redacted]")
        #expect(AuditChain.verify([event]) == .ok(count: 1))
    }

    @Test func scopesAndDetailsAreRedactedMemberByMemberOnlyWhenOneHoldsACredential() {
        let jwt = "eyJhbGciOiJFZDI1NTE5In0.eyJzdWIiOiJ4In0.c2ln"
        var chain = AuditChain()
        let clean = chain.append(
            AuditEntry(
                time: Fixture.approvedAt, actor: "ma", actorRole: .system, action: .tokenIssued,
                scopes: ["read", "eyJ-not-a-token"], details: ["a": "plain", "b": "ma_short"]))
        #expect(clean.scopes == ["read", "eyJ-not-a-token"])
        #expect(clean.details == ["a": "plain", "b": "ma_short"])
        let mixed = chain.append(
            AuditEntry(
                time: Fixture.approvedAt, actor: "ma", actorRole: .system, action: .tokenIssued,
                scopes: ["read", jwt, "write"], details: ["a": "plain", "b": "bearer \(jwt)"]))
        #expect(mixed.scopes == ["read", "[redacted]", "write"])
        #expect(mixed.details == ["a": "plain", "b": "bearer [redacted]"])
        #expect(AuditChain.verify([clean, mixed]) == .ok(count: 2))
    }

    @Test func actionNamesAreStable() {
        #expect(AuditAction.missionProposed.rawValue == "mission.proposed")
        #expect(AuditAction.reviewClarificationRequested.rawValue == "review.clarification_requested")
        #expect(AuditAction.eventBusiness.rawValue == "event.business")
        #expect(Set(AuditAction.allCases.map(\.rawValue)).count == AuditAction.allCases.count)
    }

    @Test func eventsRoundTripThroughCodable() throws {
        let events = Self.chain(3)
        let decoded = try JSONDecoder().decode([AuditEvent].self, from: JSONEncoder().encode(events))
        #expect(decoded == events)
        #expect(AuditChain.verify(decoded) == .ok(count: 3))
    }
}

@Suite struct AuditTimeTests {
    @Test(
        arguments: [
            (1_775_572_200.007, 1_775_572_200_007),
            (1_775_572_200.999, 1_775_572_200_999),
            (Double.infinity, 253_402_300_799_000),
            (-Double.infinity, -62_167_219_200_000),
            (Double.nan, -62_167_219_200_000),
        ] as [(Double, Int64)])
    func timesAreMillisecondsAndNeverTrap(seconds: Double, milliseconds: Int64) {
        var chain = AuditChain()
        let event = chain.append(
            AuditEntry(
                time: Date(timeIntervalSince1970: seconds), actor: "ma", actorRole: .system,
                action: .keysRotated))
        #expect(event.timeMilliseconds == milliseconds)
        #expect(!RFC3339.string(epochMilliseconds: event.timeMilliseconds).isEmpty)
    }
}
