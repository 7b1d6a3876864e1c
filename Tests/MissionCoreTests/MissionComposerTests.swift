import Foundation
import Testing
@testable import MissionCore

@Suite struct MissionComposerTests {
    // ../shared/vectors/test-vectors.txt: "mission blob bytes" and "s256".
    @Test func vectorBlobBytesAndS256() throws {
        let approval = try MissionApproval(
            agent: "aauth:assistant@agent.example", approvedAt: Fixture.approvedAt,
            text: "# Test mission\n\nSummarise three pricing pages.")
        let approved = MissionComposer.blob(approval, reference: nil)
        let expected =
            ##"{"agent":"aauth:assistant@agent.example","approved_at":"2026-04-07T14:30:00Z","description":"# Test mission\n\nSummarise three pricing pages."}"##
        #expect(approved.text == expected)
        #expect(approved.s256 == "wr9GO-U8I5iSK5CrGZ-Fmzc4B9rMdM8MHr3RnI77yQ0")
        #expect(
            approved.base64URL
                == "eyJhZ2VudCI6ImFhdXRoOmFzc2lzdGFudEBhZ2VudC5leGFtcGxlIiwiYXBwcm92ZWRfYXQiOiIyMDI2LTA0LTA3VDE0OjMwOjAwWiIsImRlc2NyaXB0aW9uIjoiIyBUZXN0IG1pc3Npb25cblxuU3VtbWFyaXNlIHRocmVlIHByaWNpbmcgcGFnZXMuIn0"
        )
        #expect(approved.form == .blob)
    }

    @Test func fractionalApprovalTimeIsTruncated() throws {
        let approval = try MissionApproval(
            agent: Fixture.agent, approvedAt: Fixture.approvedAt + 0.999,
            text: "# Test mission\n\nSummarise three pricing pages.")
        #expect(approval.approvedAt == Fixture.approvedAt)
        #expect(MissionComposer.blob(approval, reference: nil).s256 == "wr9GO-U8I5iSK5CrGZ-Fmzc4B9rMdM8MHr3RnI77yQ0")
    }

    @Test func fullBlobHasSortedMembersAndEnvelope() throws {
        let envelope = try Fixture.envelope(review: [("https://*.example.com", ["*"])], maxTokenLifetime: 600)
        let approval = try MissionApproval(
            agent: Fixture.agent, approver: "https://ma.example", approvedAt: Fixture.approvedAt,
            expiresAt: Fixture.approvedAt + 86_400, text: "Go \"now\"\t!",
            tools: [ProposedTool(name: "search", description: "web search")],
            resources: [ProposedResource(resource: try ResourcePattern("https://flights.example"))],
            envelope: envelope)
        let text = MissionComposer.blob(approval, reference: "r1").text
        let expected =
            #"{"agent":"aauth:assistant@agent.example","approved_at":"2026-04-07T14:30:00Z","approved_resources":["https://flights.example"],"approved_tools":[{"description":"web search","name":"search"}],"approver":"https://ma.example","description":"Go \"now\"\t!","envelope":{"grants":[{"resource":"https://flights.example","scopes":["fare.hold","search"]}],"max_token_lifetime":600,"review":[{"resource":"https://*.example.com","scopes":"*"}]},"expires_at":"2026-04-08T14:30:00Z","reference":"r1"}"#
        #expect(text == expected)
    }

    @Test func seedFormSameTextTwiceGivesDifferentS256() throws {
        let random = CountingRandomSource()
        let approval = try MissionApproval(agent: Fixture.agent, approvedAt: Fixture.approvedAt, text: "# Same")
        let first = MissionComposer.compose(approval, form: .markdown, random: random)
        let second = MissionComposer.compose(approval, form: .markdown, random: random)
        #expect(first.s256 != second.s256)
        let blobFirst = MissionComposer.compose(approval, form: .blob, random: random)
        let blobSecond = MissionComposer.compose(approval, form: .blob, random: random)
        #expect(blobFirst.s256 != blobSecond.s256)
    }

    @Test func seedFormCarriesTheApprovalSection() throws {
        let envelope = try Fixture.envelope(review: [("https://*.example.com", ["*"])])
        let approval = try MissionApproval(
            agent: Fixture.agent, approvedAt: Fixture.approvedAt,
            expiresAt: Fixture.approvedAt + 3600, text: "# Trip\n\n", envelope: envelope)
        let approved = MissionComposer.markdown(approval, reference: "REF")
        let expected = """
            # Trip

            ---

            ## Mission Authority approval

            - Agent: aauth:assistant@agent.example
            - Approved at: 2026-04-07T14:30:00Z
            - Reference: REF
            - Expires at: 2026-04-07T15:30:00Z
            - Token lifetime: at most 300 seconds

            ### Granted access

            - https://flights.example: fare.hold, search

            ### Access that needs a reviewer

            - https://*.example.com: any scope

            """
        #expect(approved.text == expected)
        #expect(approved.s256 == Base64URL.encode(SHA256.hash(Array(expected.utf8))))
        #expect(approved.s256.count == 43)
    }

    @Test func approvalRefusesExpiryBeforeApproval() {
        #expect(throws: MissionError.invalidEnvelope("expiry must be after approval")) {
            try MissionApproval(
                agent: Fixture.agent, approvedAt: Fixture.approvedAt,
                expiresAt: Fixture.approvedAt, text: "x")
        }
    }

    @Test func approvedMissionRoundTripsThroughCodable() throws {
        let approval = try MissionApproval(agent: Fixture.agent, approvedAt: Fixture.approvedAt, text: "x")
        let approved = MissionComposer.blob(approval, reference: nil)
        let decoded = try JSONDecoder().decode(ApprovedMission.self, from: JSONEncoder().encode(approved))
        #expect(decoded == approved)
        let mission = try Fixture.mission()
        #expect(try JSONDecoder().decode(Mission.self, from: JSONEncoder().encode(mission)) == mission)
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"), (951_782_400, "2000-02-29T00:00:00Z"),
        (4_102_444_799, "2099-12-31T23:59:59Z"), (-1, "1969-12-31T23:59:59Z"),
    ])
    func rfc3339(seconds: Double, text: String) {
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test func rfc3339Milliseconds() {
        #expect(RFC3339.string(epochMilliseconds: 1_775_572_200_007) == "2026-04-07T14:30:00.007Z")
        #expect(RFC3339.string(epochMilliseconds: -1) == "1969-12-31T23:59:59.999Z")
    }
}

@Suite struct ApprovedMissionCodingTests {
    @Test func roundTripsTheExactBytesAsOneBase64URLString() throws {
        let approved = ApprovedMission(form: .markdown, bytes: Array("# Plan\n\nÜber alles — ✓\r\n".utf8))
        let data = try JSONEncoder().encode(approved)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"bytes\":\"\(approved.base64URL)\""))
        let decoded = try JSONDecoder().decode(ApprovedMission.self, from: data)
        #expect(decoded == approved)
        #expect(decoded.s256 == approved.s256)
    }

    @Test func refusesBytesThatAreNotBase64URL() {
        let json = Data(#"{"form":"markdown","bytes":"not base64url!"}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ApprovedMission.self, from: json) }
    }
}
