import MissionCore
import Testing

@testable import MAServer

/// The token request body as `POST /token` reads it (the MA's hot path): the members, escapes and
/// the exact errors a client is told, pinned while the JSON parser under it is made cheaper.
@Suite("JSON body of a token request")
struct JSONBodyTokenRequestTests {
    static let missionS256 = String(repeating: "A", count: 43)

    @Test("the bench's token request body reads member by member")
    func tokenBody() throws {
        let text =
            #"{"mission_s256":"\#(Self.missionS256)","resource":"https://api.bench.example","scope":"read","justification":"ma-bench run-1 000000001"}"#
        let body = try JSONBody(Array(text.utf8), allowed: AgentRoutes.tokenEndpointMembers)
        #expect(body.members.count == 4)
        #expect(!body.has("mission_proposal"))
        #expect(body.firstMember(outside: AgentRoutes.tokenMembers) == nil)
        #expect(try body.optionalString("mission_s256") == Self.missionS256)
        #expect(try body.string("resource") == "https://api.bench.example")
        #expect(try body.string("scope") == "read")
        #expect(try body.optionalString("justification") == "ma-bench run-1 000000001")
        #expect(try body.optionalString("resource_token") == nil)
    }

    @Test("escapes, surrogate pairs and raw non-ASCII come out decoded")
    func escapes() throws {
        let text =
            #"{"scope":"read","justification":"caf\u00e9 \ud83d\ude00 \"q\" \\ \/ é\n","resource":"https://a.example"}"#
        let body = try JSONBody(Array(text.utf8), allowed: AgentRoutes.tokenEndpointMembers)
        #expect(try body.string("justification") == "café 😀 \"q\" \\ / é\n")
    }

    @Test(
        "a malformed body is refused with the parser's own words",
        arguments: [
            (#"{"scope":"read","scope":"write"}"#, JOSEError.malformed("duplicate member name \"scope\"")),
            (#"{"scope":"read"} x"#, .malformed("trailing bytes after JSON value")),
            (#"{"scope":"re\ud800"}"#, .malformed("lone high surrogate")),
            ("{\"scope\":\"re\u{01}\"}", .malformed("unescaped control character in string")),
            (#"{"scope":"read"#, .malformed("unterminated string")),
            (#"{"scope":01}"#, .malformed("expected ',' or '}'")),
            (#"{"scope":1e999}"#, .malformed("number out of range")),
            (
                String(repeating: "[", count: 17) + String(repeating: "]", count: 17),
                .malformed("JSON nested deeper than 16")
            ),
        ])
    func refused(text: String, error: JOSEError) {
        #expect(throws: RouteError.invalidRequest("the body is not valid JSON: \(error)")) {
            try JSONBody(Array(text.utf8), allowed: AgentRoutes.tokenEndpointMembers)
        }
    }

    @Test("invalid UTF-8 is refused before anything else is looked at")
    func invalidUTF8() {
        let bytes = Array(#"{"scope":"#.utf8) + [0xC3, 0x28] + Array(#"","scope":1}"#.utf8)
        #expect(
            throws: RouteError.invalidRequest(
                "the body is not valid JSON: \(JOSEError.malformed("JSON is not valid UTF-8"))")
        ) {
            try JSONBody(bytes, allowed: AgentRoutes.tokenEndpointMembers)
        }
    }
}
