import Testing
@testable import MissionCore

@Suite struct PolicyOriginTests {
    @Test(arguments: [
        ("https://flights.example", "https://flights.example"),
        ("HTTPS://Flights.EXAMPLE", "https://flights.example"),
        ("https://flights.example:443", "https://flights.example"),
        ("https://flights.example/", "https://flights.example"),
        ("https://flights.example:8443", "https://flights.example:8443"),
        ("http://localhost:80", "http://localhost"),
        ("http://localhost:8080", "http://localhost:8080"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("https://xn--bcher-kva.example", "https://xn--bcher-kva.example"),
    ])
    func canonicalises(input: String, canonical: String) throws {
        #expect(try Origin(input).description == canonical)
    }

    @Test(arguments: [
        "flights.example", "ftp://flights.example", "https://", "https://flights.example/path",
        "https://flights.example?q=1", "https://flights.example#f", "https://user@flights.example",
        "https://user:pw@flights.example", "https://fl%69ghts.example", "https://bücher.example",
        "https://flights.example:0", "https://flights.example:65536", "https://flights.example:0443",
        "https://flights.example:", "https://flights.example:80a", "https://[::1]", "https://-bad.example",
        "https://bad-.example", "https://a..example", "https://flights.example.", "https://fl_ights.example",
        "https://flights.example//", "https://*.example.com", "https:// flights.example",
    ])
    func rejects(input: String) {
        #expect(throws: MissionError.self) { try Origin(input) }
    }

    @Test func defaultPortIsEqualToNoPort() throws {
        #expect(try Origin("https://a.example:443") == Origin("https://a.example"))
        #expect(try Origin("http://a.example:443") != Origin("https://a.example"))
    }
}

@Suite struct PolicyResourcePatternTests {
    @Test(arguments: [
        ("https://*.example.com", "https://api.example.com", true),
        ("https://*.example.com", "https://a.b.example.com", true),
        ("https://*.example.com", "https://example.com", false),  // the apex is not a subdomain
        ("https://*.example.com", "https://evilexample.com", false),
        ("https://*.example.com", "https://example.com.evil.org", false),
        ("https://*.example.com", "http://api.example.com", false),  // scheme mismatch
        ("https://*.example.com", "https://api.example.com:8443", false),  // port mismatch
        ("https://*.example.com:8443", "https://api.example.com:8443", true),
        ("https://*.EXAMPLE.com:443", "https://api.example.com", true),
        ("https://flights.example", "https://flights.example:443", true),
        ("https://flights.example", "http://flights.example", false),
        ("https://flights.example", "https://api.flights.example", false),
    ])
    func matching(pattern: String, origin: String, matches: Bool) throws {
        #expect(try ResourcePattern(pattern).matches(Origin(origin)) == matches)
    }

    @Test(arguments: [
        "https://*.com", "https://*.", "https://*.1.2.3.4", "https://*.example.com/x", "https://a.*.example.com",
    ])
    func rejectsPatterns(pattern: String) {
        #expect(throws: MissionError.self) { try ResourcePattern(pattern) }
    }

    @Test(arguments: [
        ("https://*.example.com", "https://*.api.example.com", true),
        ("https://*.example.com", "https://*.example.com", true),
        ("https://*.api.example.com", "https://*.example.com", false),
        ("https://api.example.com", "https://*.example.com", false),
        ("https://*.example.com", "https://x.example.com", true),
        ("https://*.example.com", "https://example.com", false),
    ])
    func covering(outer: String, inner: String, covers: Bool) throws {
        #expect(try ResourcePattern(outer).covers(ResourcePattern(inner)) == covers)
    }
}

@Suite struct PolicyScopeSetTests {
    @Test func starMeansAny() throws {
        #expect(try ScopeSet(["*"]) == .any)
        #expect(ScopeSet.any.contains("anything"))
        #expect(throws: MissionError.self) { try ScopeSet(["*", "read"]) }
    }

    @Test func sortedAndDeduplicated() throws {
        #expect(try ScopeSet(["write", "read", "write"]) == .only(["read", "write"]))
    }

    @Test(arguments: ["", "a b", "a\"b", "a\\b", "é", String(repeating: "x", count: 129)])
    func rejectsTokens(scope: String) {
        #expect(throws: MissionError.self) { try ScopeSet([scope]) }
    }

    @Test func accessRequestSplitsScopeString() throws {
        let request = try AccessRequest(resource: "https://a.example", scope: "write read")
        #expect(request.scopes == ["read", "write"])
        #expect(throws: MissionError.self) { try AccessRequest(resource: "https://a.example", scope: "read  write") }
        #expect(throws: MissionError.self) { try AccessRequest(resource: "https://*.example.com", scope: "read") }
    }
}
