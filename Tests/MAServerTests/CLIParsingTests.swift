import Foundation
import HTTPKit
import MissionCore
import Testing

@testable import MAServer

@Suite struct CLIParsingTests {
    // An s256 is base64url: one in 64 starts with "-" (this once failed the end-to-end walk).
    @Test(arguments: ["-abcDEF0123456789-_abcDEF0123456789-_abcdef", "--x", "_leading-underscore"])
    func missionOptionTakesValuesThatStartWithADash(s256: String) throws {
        let token = try CLITestSupport.parse(
            ["agent", "token", "--key", "k.pem", "--mission", s256, "--resource", "https://a.example", "--scope", "s"],
            as: AgentCommand.Token.self)
        #expect(token.mission == s256)
        let complete = try CLITestSupport.parse(
            ["agent", "complete", "--key", "k.pem", "--mission", s256, "--summary", "done"],
            as: AgentCommand.Complete.self)
        #expect(complete.mission == s256)
        let show = try CLITestSupport.parse(["agent", "mission", "--key", "k.pem", "--", s256], as: AgentCommand.Mission.self)
        #expect(show.s256 == s256)
    }

    @Test func adminKeyCreateReadsRoleAndName() throws {
        let create = try CLITestSupport.parse(
            ["admin-key", "create", "--data-dir", "/tmp/x", "--role", "reviewer", "--name", "Ada L"],
            as: AdminKeyCommand.Create.self)
        #expect(create.role == .reviewer)
        #expect(create.name == "Ada L")
        #expect(create.data.dataDirectory == "/tmp/x")
    }

    @Test(arguments: [
        ["admin-key", "create", "--role", "root", "--name", "x"],
        ["admin-key", "create", "--role", "admin"],
        ["keys", "rotate", "--algorithm", "RS256"],
        ["audit", "verify", "--expect-head", "12"],
        ["audit", "verify", "--expect-head", "12:AAAA"],
        ["audit", "export", "--after", "-1"],
        ["agent", "token", "--key", "k.pem", "--mission", "m", "--resource", "https://r.example"],
        ["agent", "token", "--key", "k.pem", "--mission", "m", "--resource", "https://r.example", "--scope", "a b"],
        ["agent", "poll", "--key", "k.pem", "/pending/x", "--wait", "-3"],
        ["agent", "propose", "--key", "k.pem", "--text", "-", "--form", "rfc"],
        ["admin", "get", "reviews"],
        ["admin", "get", "/reviews", "{}"],
        ["serve", "--no-such-flag"],
    ])
    func refusesBadCommandLines(arguments: [String]) {
        #expect(throws: (any Error).self) { try MAServerCommand.parseAsRoot(arguments) }
    }

    @Test func expectHeadRoundTrips() throws {
        let head = AuditCheckpoint(sequence: 42, hash: Array(repeating: 7, count: 32))
        let text = AuditCommand.Verify.text(head)
        let verify = try CLITestSupport.parse(["audit", "verify", "--expect-head", text], as: AuditCommand.Verify.self)
        #expect(verify.expectedHead == head)
    }

    @Test(arguments: [
        ("https://api.example:read,write", "https://api.example", ["read", "write"]),
        ("https://api.example", "https://api.example", []),
        ("http://127.0.0.1:9000", "http://127.0.0.1:9000", []),
        ("http://127.0.0.1:9000:fare.hold", "http://127.0.0.1:9000", ["fare.hold"]),
        ("https://*.example.com:*", "https://*.example.com", ["*"]),
    ])
    func resourceArguments(text: String, origin: String, scopes: [String]) throws {
        let resource = try ResourceArgument(parsing: text)
        #expect(resource.origin == origin)
        #expect(resource.scopes == scopes)
    }

    @Test(arguments: [
        "ftp://files.example:read", "https://api.example:read,,write", "https://api.example:", "api.example:read",
    ])
    func refusesMalformedResources(text: String) {
        #expect(throws: (any Error).self) { try ResourceArgument(parsing: text) }
    }

    @Test func serverURLs() throws {
        let local = try ServerURL(parsing: "http://127.0.0.1:8080")
        #expect(local.authority == "127.0.0.1:8080")
        #expect(try local.addressLiteral() == "127.0.0.1")
        #expect(try ServerURL(parsing: "http://LocalHost/").authority == "localhost")
        #expect(try ServerURL(parsing: "http://[::1]:9000").authority == "[::1]:9000")
        #expect(try local.target(of: "/pending/abc") == "/pending/abc")
        #expect(try local.target(of: "http://127.0.0.1:8080/pending/abc?x=1") == "/pending/abc?x=1")
        #expect(throws: CLIError.self) { try local.target(of: "http://127.0.0.1:9999/pending/abc") }
        for refused in ["https://ma.example", "http://ma.example/base", "http://u:p@ma.example", "ma.example:80"] {
            #expect(throws: CLIError.self) { try ServerURL(parsing: refused) }
        }
    }

    @Test func serveWithoutConfigurationOrIssuerIsDevelopment() throws {
        let serve = try CLITestSupport.parse(["serve", "--listen", "127.0.0.1:9123"], as: ServeCommand.self)
        let (configuration, automatic) = try serve.resolve(environment: [:])
        #expect(automatic)
        #expect(configuration.development)
        #expect(configuration.effectiveIssuer == "http://127.0.0.1:9123")
        #expect(ServeCommand.startupLine(configuration: configuration, port: 9123).contains("DEVELOPMENT MODE"))
    }

    @Test func serveWithAnIssuerIsNotDevelopment() throws {
        let serve = try CLITestSupport.parse(
            [
                "serve", "--issuer", "https://ma.example", "--data-dir", "/srv/ma", "--allow-pseudonymous-agents",
                "--log-level", "debug",
            ],
            as: ServeCommand.self)
        let (configuration, automatic) = try serve.resolve(environment: ["MA_LISTEN": "0.0.0.0:9000"])
        #expect(!automatic)
        #expect(!configuration.development)
        #expect(configuration.listen == .init(host: "0.0.0.0", port: 9000))
        #expect(configuration.dataDirectory == "/srv/ma")
        #expect(configuration.agents.allowPseudonymous)
        #expect(configuration.log.level == "debug")
    }

    @Test func serveHonoursAnExplicitNoToDevelopment() throws {
        let serve = try CLITestSupport.parse(["serve"], as: ServeCommand.self)
        #expect(throws: CLIError.self) { try serve.resolve(environment: ["MA_DEVELOPMENT": "false"]) }
        let withIssuer = try serve.resolve(environment: ["MA_ISSUER": "https://ma.example"])
        #expect(!withIssuer.automaticDevelopment)
        #expect(withIssuer.configuration.effectiveIssuer == "https://ma.example")
    }

    @Test func prettyPrintsJSONAndEscapes() {
        let text = JSONText.pretty(Array(#"{"b":[],"a":{"x":"line\nbreak \"q\"","n":3,"t":true,"z":null}}"#.utf8))
        #expect(
            text == """
                {
                  "a": {
                    "n": 3,
                    "t": true,
                    "x": "line\\nbreak \\"q\\"",
                    "z": null
                  },
                  "b": []
                }
                """)
        #expect(JSONText.pretty(Array("plain text".utf8)) == nil)
        #expect(JSONText.quoted("\u{01}") == #""\u0001""#)
    }

    @Test func tablesAlignColumns() {
        var table = TextTable("ID", "NAME")
        table.add("a", "first")
        table.add("longer", "second")
        #expect(table.lines == ["ID      NAME", "a       first", "longer  second"])
    }
}

@Suite struct CLIExampleConfigurationTests {
    /// `examples/maserver.json`, found from this file's place in the repository.
    static let examplePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/maserver.json").path

    @Test func theExampleConfigurationIsValid() throws {
        let serve = try CLITestSupport.parse(["serve", "--config", Self.examplePath, "--check"], as: ServeCommand.self)
        let (configuration, automatic) = try serve.resolve(environment: [:])
        #expect(!automatic)
        #expect(!configuration.development)
        #expect(configuration.effectiveIssuer == "https://ma.example.com")
        #expect(configuration.autoApproval.count == 1)
        let settings = try Application.settings(from: configuration)
        #expect(settings.autoApprovalRules.count == 1)
        #expect(ServeCommand.summary(configuration).hasPrefix("configuration ok"))
    }
}

@Suite struct CLIResponseReportTests {
    @Test(arguments: [(200, 0), (202, 0), (204, 0), (401, 1), (403, 1), (429, 1), (503, 1)])
    func exitStatusFollowsTheStatusClass(code: Int, exit: Int32) {
        let response = HTTPResponse(status: HTTPStatus(code: code, reasonPhrase: "X"))
        #expect(HTTPExchange.report(response).exitCode == exit)
    }

    @Test func printsMeaningfulHeadersAndTheBody() {
        let response = HTTPResponse(
            status: HTTPStatus(code: 202, reasonPhrase: "Accepted"),
            headers: HTTPHeaders([
                ("Content-Length", "20"), ("Location", "/pending/abc"), ("Date", "Sun, 29 Nov 2026 14:00:00 GMT"),
                ("Retry-After", "5"),
            ]),
            body: Array(#"{"status":"pending"}"#.utf8))
        #expect(
            HTTPExchange.report(response).lines == [
                "HTTP/1.1 202 Accepted", "Location: /pending/abc", "Retry-After: 5", "",
                "{\n  \"status\": \"pending\"\n}",
            ])
    }

    @Test func adminBodiesMustBeJSON() throws {
        #expect(try AdminCommand.readBody(#"{"reason":"x"}"#) == Array(#"{"reason":"x"}"#.utf8))
        #expect(throws: CLIError.invalidArgument("the body is not JSON")) { try AdminCommand.readBody("reason=x") }
        #expect(throws: CLIError.self) { try AdminCommand.readBody("@/nonexistent/body.json") }
        #expect(throws: CLIError.self) { try AdminCommand.adminKey(nil, environment: [:]) }
        #expect(try AdminCommand.adminKey(nil, environment: ["MA_ADMIN_KEY": "ma_a_b"]) == "ma_a_b")
        #expect(throws: CLIError.self) { try AdminCommand.adminKey("ma a", environment: [:]) }
    }
}
