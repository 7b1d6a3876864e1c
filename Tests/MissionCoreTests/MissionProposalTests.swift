import Foundation
import Testing
@testable import MissionCore

@Suite struct MissionProposalTests {
    private func decode(_ json: String) throws(MissionError) -> MissionProposal {
        try MissionProposal.decode(Array(json.utf8))
    }

    @Test func seedForm() throws {
        let proposal = try decode(
            ##"{"mission_proposal":"# Trip","resources":["https://Flights.Example:443/",{"resource":"https://api.example","scopes":["read","write"]}]}"##
        )
        #expect(proposal.form == .markdown)
        #expect(proposal.text == "# Trip")
        #expect(proposal.resources.map(\.resource.description) == ["https://flights.example", "https://api.example"])
        #expect(proposal.resources[0].scopes == nil)
        #expect(proposal.resources[1].scopes == .only(["read", "write"]))
    }

    @Test func currentDraftForm() throws {
        let proposal = try decode(
            #"{"description":"Do it","tools":[{"name":"search","description":"find"}],"resources":[{"resource":"https://*.example.com","scopes":"*"}],"capabilities":["x"]}"#
        )
        #expect(proposal.form == .blob)
        #expect(proposal.tools == [ProposedTool(name: "search", description: "find")])
        #expect(proposal.resources[0].scopes == .any)
    }

    @Test(arguments: [
        #"{}"#,
        #"{"mission_proposal":"a","description":"b"}"#,
        #"{"mission_proposal":"   \n"}"#,
        #"{"mission_proposal":""}"#,
        #"{"mission_proposal":"a","tools":[]}"#,
        #"{"description":"a","tools":[{"name":"","description":"x"}]}"#,
        #"{"description":"a","tools":[{"name":"t","description":"x"},{"name":"t","description":"y"}]}"#,
        #"{"description":"a","resources":["https://x.example/path"]}"#,
        #"{"description":"a","resources":["ftp://x.example"]}"#,
        #"{"description":"a","resources":[{"resource":"https://x.example","scopes":["a b"]}]}"#,
        #"{"description":"a","resources":[{"resource":"https://x.example","scopes":[]}]}"#,
        #"{"description":"a","resources":[7]}"#,
        #"{"description":7}"#,
        #"{"description":"a\u0000b"}"#,
        #"not json"#,
        #"[]"#,
    ])
    func rejects(json: String) {
        #expect(throws: MissionError.self) { try decode(json) }
    }

    @Test(arguments: [
        (#"{"description":"a","future_member":1}"#, "future_member"),
        (#"{"mission_proposal":"a","mission_s256":"x"}"#, "mission_s256"),
        (#"{"zeta":1,"description":"a","alpha":{}}"#, "alpha"),  // the first in sorted order
        (#"{"description":7,"extra":true}"#, "extra"),  // named before any value is read
        (#"{"Description":"a"}"#, "Description"),  // names are case-sensitive
        (#"{"description":"a","descr\u0069ption":"b"}"#, nil),  // an escaped duplicate stays a duplicate
    ])
    func unknownMembersAreRefusedByName(json: String, member: String?) {
        let expected: MissionError =
            member.map { .invalidProposal("unknown member \"\($0)\"") }
            ?? .invalidProposal("duplicate member \"description\"")
        #expect(throws: expected) { try decode(json) }
    }

    @Test(arguments: [
        #"{"mission_proposal":"a","resources":[],"capabilities":{"interaction":false}}"#,
        #"{"description":"a","tools":[],"resources":[],"capabilities":[]}"#,
    ])
    func everyKnownMemberAndCapabilitiesAreAccepted(json: String) throws {
        #expect(try decode(json).text == "a")
        #expect(
            MissionProposal.memberNames == ["mission_proposal", "description", "tools", "resources", "capabilities"])
    }

    @Test(arguments: [#"[]"#, #""x""#, "7"])
    func aBodyThatIsNotAnObjectSaysSo(json: String) {
        #expect(throws: MissionError.invalidProposal("the body must be a JSON object")) { try decode(json) }
    }

    @Test func sizeCap() throws {
        let limit = MissionProposal.maximumTextBytes
        _ = try MissionProposal(form: .markdown, text: String(repeating: "a", count: limit))
        #expect(throws: MissionError.invalidProposal("text: longer than \(limit) bytes")) {
            try MissionProposal(form: .markdown, text: String(repeating: "a", count: limit + 1))
        }
    }
}

@Suite struct MissionJSONMemberCheckTests {
    @Test(arguments: [
        (#"{"description":"a","description":"b"}"#, "description"),
        (#"{"description":"a","descr\u0069ption":"b"}"#, "description"),
        (
            #"{"description":"a","resources":[{"resource":"https://a.example","resource":"https://b.example"}]}"#,
            "resource"
        ),
    ])
    func duplicatesAreRefused(json: String, name: String) {
        #expect(JSONMemberCheck.firstProblem(in: Array(json.utf8)) == .duplicateMember(name))
        #expect(throws: MissionError.invalidProposal("duplicate member \"\(name)\"")) {
            try MissionProposal.decode(Array(json.utf8))
        }
    }

    @Test(arguments: [
        #"{"a":{"b":1},"b":{"a":1},"c":["a","a"],"d":"a"}"#,
        #"{"k\"":"v","k":"v"}"#,
        #"{"a":"{\"a\":1,\"a\":2}"}"#,
    ])
    func distinctNamesPass(json: String) {
        #expect(JSONMemberCheck.firstProblem(in: Array(json.utf8)) == nil)
    }

    @Test func deepNestingIsRefused() {
        let json =
            #"{"description":"a","x":"# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"
        #expect(throws: MissionError.invalidProposal("nesting too deep")) {
            try MissionProposal.decode(Array(json.utf8))
        }
    }

    @Test(arguments: ["{\"", "{\"a\\", "{\"a\\u12", "\"\\u", "}}]]{", ""])
    func malformedInputTerminates(json: String) {
        _ = JSONMemberCheck.firstProblem(in: Array(json.utf8))
        #expect(throws: MissionError.self) { try MissionProposal.decode(Array(json.utf8)) }
    }
}
