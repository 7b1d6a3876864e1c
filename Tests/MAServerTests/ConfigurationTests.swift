import Foundation
import Testing
@testable import MAServer

@Suite struct ConfigurationTests {
    private func decode(_ json: String) throws -> Configuration {
        try ConfigurationLoader.decode(Data(json.utf8))
    }

    @Test func emptyObjectGivesDefaults() throws {
        let configuration = try decode("{}")
        #expect(configuration == Configuration())
        #expect(configuration.listen == .init(host: "127.0.0.1", port: 8080))
    }

    @Test func decodesNestedSnakeCaseMembers() throws {
        let configuration = try decode("""
            {"listen": "[::1]:9443", "issuer": "https://ma.example", "data_dir": "/var/lib/ma",
             "tokens": {"default_lifetime_seconds": 120, "max_lifetime_seconds": 900},
             "agent_providers": [{"issuer": "https://agents.test", "jwks": {"keys": []}}],
             "auto_approval": [{"agent": "aauth:*@agents.test",
                                "grants": [{"resource": "https://flights.example", "scopes": ["search"]}]}]}
            """)
        #expect(configuration.listen == .init(host: "::1", port: 9443))
        #expect(configuration.tokens.defaultLifetimeSeconds == 120)
        #expect(configuration.agentProviders.first?.jwks == #"{"keys":[]}"#)
        #expect(configuration.autoApproval.first?.grants.first?.scopes == ["search"])
        try configuration.validate()
    }

    @Test(arguments: [
        (#"{"listne": ":80"}"#, "listne"),
        (#"{"tokens": {"default_lifetime": 5}}"#, "tokens.default_lifetime"),
        (#"{"agent_providers": [{"issuer": "https://a.test", "jwks": "{}", "pinned": true}]}"#,
         "agent_providers[0].pinned"),
    ])
    func refusesUnknownKeys(json: String, key: String) {
        #expect(throws: ConfigurationError.unknownKey(key)) { try decode(json) }
    }

    @Test(arguments: [
        ("https://ma.example", false, true),
        ("https://ma.example:8443", false, false),
        ("http://ma.example", false, false),
        ("http://127.0.0.1:8080", true, true),
        ("https://ma.example/path", false, false),
        ("https://user@ma.example", false, false),
        ("ma.example", true, false),
        ("ftp://ma.example", true, false),
    ])
    func issuerRules(issuer: String, development: Bool, valid: Bool) {
        let result = Result { try Configuration.validateIssuer(issuer, development: development) }
        #expect((try? result.get()) != nil ? valid : !valid)
    }

    @Test func productionRequiresAnIssuer() throws {
        var configuration = Configuration()
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
        configuration.development = true
        try configuration.validate()
        #expect(configuration.effectiveIssuer == "http://127.0.0.1:8080")
    }

    @Test func environmentThenFlagsOverrideTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("ma.json")
        try Data(#"{"issuer": "https://file.example", "data_dir": "/from/file", "log": {"level": "debug"}}"#.utf8)
            .write(to: file)
        let loader = ConfigurationLoader(environment: ["MA_DATA_DIR": "/from/env", "MA_LISTEN": ":9000"])
        let configuration = try loader.load(
            file: file.path, overrides: .init(issuer: "https://flag.example"))
        #expect(configuration.issuer == "https://flag.example")
        #expect(configuration.dataDirectory == "/from/env")
        #expect(configuration.listen == .init(host: "0.0.0.0", port: 9000))
        #expect(configuration.log.level == "debug")
    }

    @Test(arguments: [
        #"{"development": true, "tokens": {"max_lifetime_seconds": 7200}}"#,
        #"{"development": true, "tokens": {"default_lifetime_seconds": 0}}"#,
        #"{"development": true, "signing": {"algorithm": "HS256"}}"#,
        #"{"development": true, "agent_providers": [{"issuer": "https://a.test"}]}"#,
        #"{"development": true, "agent_providers": [{"issuer": "https://a.test", "jwks": "{}", "discover": true}]}"#,
        #"{"development": true, "http": {"max_body_bytes": -1}}"#,
        #"{"development": true, "reviews": {"max_wait_seconds": 61}}"#,
        #"{"development": true, "log": {"level": "loud"}}"#,
    ])
    func refusesUnsafeOrBrokenSettings(json: String) throws {
        let configuration = try decode(json)
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
    }

    @Test(arguments: ["host", "host:", ":99999", "[::1", "a:b:c"])
    func refusesMalformedListenAddresses(text: String) {
        #expect(throws: ConfigurationError.self) { try Configuration.ListenAddress(parsing: text, key: "listen") }
    }
}
