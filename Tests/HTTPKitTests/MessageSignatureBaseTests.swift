import Testing

@testable import HTTPKit

@Suite("Message signatures: signature base construction (RFC 9421 §2)")
struct MessageSignatureBaseTests {
    /// The RFC 9421 Appendix B.2 test request, as plain values.
    static let exampleDigest =
        "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"
    static let example = SignedRequestComponents(
        method: "POST", scheme: "https", authority: "example.com", path: "/foo", query: "param=Value&Pet=dog",
        fields: [
            ("Host", "example.com"),
            ("Date", "Tue, 20 Apr 2021 02:07:55 GMT"),
            ("Content-Type", "application/json"),
            ("Content-Digest", exampleDigest),
            ("Content-Length", "18"),
        ])

    static func base(_ signatureInput: String, label: String, request: SignedRequestComponents = example) throws
        -> String
    {
        let input = try SignatureInputField(parsing: signatureInput).input(for: label)
        return try SignatureBase(input: input, request: request).text
    }

    @Test("B.2.1-style: no covered components gives only the params line")
    func minimal() throws {
        let text = try Self.base(
            "sig-b21=();created=1618884473;keyid=\"test-key-rsa-pss\";nonce=\"b3k2pp5k7z-50gnwp.yemd\"",
            label: "sig-b21")
        #expect(
            text
                == "\"@signature-params\": ();created=1618884473;keyid=\"test-key-rsa-pss\";nonce=\"b3k2pp5k7z-50gnwp.yemd\""
        )
    }

    @Test("B.2.2-style: authority, a field and a query parameter")
    func selective() throws {
        let params =
            "(\"@authority\" \"content-digest\" \"@query-param\";name=\"Pet\");created=1618884473;keyid=\"k\";tag=\"header-example\""
        let text = try Self.base("sig-b22=" + params, label: "sig-b22")
        #expect(
            text
                == [
                    "\"@authority\": example.com",
                    "\"content-digest\": " + Self.exampleDigest,
                    "\"@query-param\";name=\"Pet\": dog",
                    "\"@signature-params\": " + params,
                ].joined(separator: "\n"))
    }

    @Test("B.2.3-style: full coverage in the listed order")
    func fullCoverage() throws {
        let params =
            "(\"date\" \"@method\" \"@path\" \"@query\" \"@authority\" \"content-type\" \"content-digest\" \"content-length\");created=1618884473;keyid=\"k\""
        let text = try Self.base("sig-b23=" + params, label: "sig-b23")
        #expect(
            text
                == [
                    "\"date\": Tue, 20 Apr 2021 02:07:55 GMT",
                    "\"@method\": POST",
                    "\"@path\": /foo",
                    "\"@query\": ?param=Value&Pet=dog",
                    "\"@authority\": example.com",
                    "\"content-type\": application/json",
                    "\"content-digest\": " + Self.exampleDigest,
                    "\"content-length\": 18",
                    "\"@signature-params\": " + params,
                ].joined(separator: "\n"))
    }

    static func request(
        scheme: String = "https", authority: String = "www.example.com", path: String = "/path",
        query: String? = "param=value", fields: [(name: String, value: String)] = []
    ) -> SignedRequestComponents {
        SignedRequestComponents(
            method: "GET", scheme: scheme, authority: authority, path: path, query: query, fields: fields)
    }

    static func value(_ identifier: String, _ request: SignedRequestComponents) throws -> String {
        let item = try StructuredField.parseItem(identifier)
        let component = try ComponentIdentifier(item: item)
        return try SignatureBase.value(of: component, in: request, types: SignatureBase.defaultStructuredFieldTypes)
    }

    @Test(
        "Derived components (RFC 9421 §2.2)",
        arguments: [
            ("\"@method\"", request(), "GET"),
            ("\"@target-uri\"", request(), "https://www.example.com/path?param=value"),
            ("\"@authority\"", request(), "www.example.com"),
            ("\"@authority\"", request(authority: "WWW.Example.COM:443"), "www.example.com"),
            ("\"@authority\"", request(authority: "www.example.com:8443"), "www.example.com:8443"),
            ("\"@authority\"", request(scheme: "http", authority: "www.example.com:80"), "www.example.com"),
            ("\"@authority\"", request(scheme: "http", authority: "www.example.com:443"), "www.example.com:443"),
            ("\"@authority\"", request(authority: "[::1]:443"), "[::1]"),
            ("\"@authority\"", request(authority: "[::443]"), "[::443]"),
            ("\"@scheme\"", request(scheme: "HTTPS"), "https"),
            ("\"@request-target\"", request(), "/path?param=value"),
            ("\"@request-target\"", request(query: nil), "/path"),
            ("\"@path\"", request(), "/path"),
            ("\"@path\"", request(path: ""), "/"),
            ("\"@path\"", request(path: "/a%2Fb/c%20d"), "/a%2Fb/c%20d"),
            ("\"@query\"", request(query: "param=value&foo=bar&baz=bat%2Dman"), "?param=value&foo=bar&baz=bat%2Dman"),
            ("\"@query\"", request(query: nil), "?"),
            ("\"@query\"", request(query: ""), "?"),
        ])
    func derived(identifier: String, request: SignedRequestComponents, expected: String) throws {
        #expect(try Self.value(identifier, request) == expected)
    }

    @Test(
        "Components from an origin-form request target",
        arguments: [
            ("/path?param=value", "/path", "param=value" as String?),
            ("/path", "/path", nil),
            ("/path?", "/path", ""),
            ("/a?b?c=d", "/a", "b?c=d"),
            ("", "", nil),
        ])
    func requestTarget(target: String, path: String, query: String?) throws {
        let request = SignedRequestComponents(
            method: "GET", scheme: "https", authority: "h.example", requestTarget: target, fieldValues: { _ in [] })
        #expect(request.path == path)
        #expect(request.query == query)
        #expect(
            try Self.value("\"@request-target\"", request) == (path.isEmpty ? "/" : path)
                + (query.map { "?" + $0 } ?? ""))
    }

    static let queryRequest = request(
        path: "/parameters",
        query: "var=this%20is%20a%20big%0Avalue&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something&dup=1&dup=2")

    @Test(
        "@query-param decodes and re-encodes (RFC 9421 §2.2.8)",
        arguments: [
            ("\"@query-param\";name=\"var\"", "this%20is%20a%20big%0Avalue"),
            ("\"@query-param\";name=\"bar\"", "with%20plus%20whitespace"),
            ("\"@query-param\";name=\"fa%C3%A7ade%22%3A%20\"", "something"),
        ])
    func queryParameter(identifier: String, expected: String) throws {
        #expect(try Self.value(identifier, Self.queryRequest) == expected)
    }

    @Test("@query-param that is absent or repeated cannot be covered")
    func queryParameterErrors() throws {
        #expect(throws: SignatureError.missingComponentValue("\"@query-param\";name=\"nope\"")) {
            try Self.value("\"@query-param\";name=\"nope\"", Self.queryRequest)
        }
        #expect(throws: SignatureError.invalidComponentValue("\"@query-param\";name=\"dup\"")) {
            try Self.value("\"@query-param\";name=\"dup\"", Self.queryRequest)
        }
    }

    static let fieldRequest = request(fields: [
        ("X-OWS-Header", "   Leading and trailing whitespace.   "),
        ("X-Obs-Fold-Header", "Obsolete\r\n    line folding."),
        ("Cache-Control", "max-age=60"),
        ("Cache-Control", "   must-revalidate"),
        ("X-Empty-Header", ""),
        ("Example-Dict", " a=1,    b=2;x=1;y=2,   c=(a   b   c)"),
        ("Signature-Key", "sig=jwt; jwt=\"x\",  other=hwk"),
        ("X-Binary", "  \u{1}bad"),
        ("X-Latin", "café"),
    ])

    @Test(
        "HTTP fields: trimmed, obs-fold replaced, lines joined (RFC 9421 §2.1)",
        arguments: [
            ("\"x-ows-header\"", "Leading and trailing whitespace."),
            ("\"x-obs-fold-header\"", "Obsolete line folding."),
            ("\"cache-control\"", "max-age=60, must-revalidate"),
            ("\"x-empty-header\"", ""),
            ("\"example-dict\"", "a=1,    b=2;x=1;y=2,   c=(a   b   c)"),
            ("\"example-dict\";key=\"a\"", "1"),
            ("\"example-dict\";key=\"b\"", "2;x=1;y=2"),
            ("\"example-dict\";key=\"c\"", "(a b c)"),
            ("\"signature-key\";sf", "sig=jwt;jwt=\"x\", other=hwk"),
            ("\"signature-key\"", "sig=jwt; jwt=\"x\",  other=hwk"),
            ("\"cache-control\";bs", ":bWF4LWFnZT02MA==:, :bXVzdC1yZXZhbGlkYXRl:"),
            ("\"x-latin\";bs", ":Y2Fmw6k=:"),
        ])
    func fields(identifier: String, expected: String) throws {
        #expect(try Self.value(identifier, Self.fieldRequest) == expected)
    }

    @Test("Field errors: absent field, absent key, unknown sf type, control characters")
    func fieldErrors() throws {
        #expect(throws: SignatureError.missingComponentValue("\"x-missing\"")) {
            try Self.value("\"x-missing\"", Self.fieldRequest)
        }
        #expect(throws: SignatureError.missingComponentValue("\"example-dict\";key=\"zz\"")) {
            try Self.value("\"example-dict\";key=\"zz\"", Self.fieldRequest)
        }
        #expect(throws: SignatureError.invalidComponentIdentifier("\"example-dict\";sf")) {
            try Self.value("\"example-dict\";sf", Self.fieldRequest)
        }
        #expect(throws: SignatureError.invalidComponentValue("\"x-ows-header\";key=\"a\"")) {
            try Self.value("\"x-ows-header\";key=\"a\"", Self.fieldRequest)
        }
        #expect(throws: SignatureError.invalidComponentValue("\"x-binary\"")) {
            try Self.value("\"x-binary\"", Self.fieldRequest)
        }
        // RFC 9421 §2.5: the base is ASCII; a non-ASCII field can only be covered with `;bs`.
        #expect(throws: SignatureError.invalidComponentValue("\"x-latin\"")) {
            try Self.value("\"x-latin\"", Self.fieldRequest)
        }
        let custom = try SignatureBase.value(
            of: ComponentIdentifier("example-dict", parameters: ["sf": .boolean(true)]), in: Self.fieldRequest,
            types: ["example-dict": .dictionary])
        #expect(custom == "a=1, b=2;x=1;y=2, c=(a b c)")
    }

    @Test("A derived value with a line break is refused rather than forging a line")
    func derivedInjection() {
        let request = Self.request(path: "/a\n\"@method\": GET")
        #expect(throws: SignatureError.invalidComponentValue("\"@path\"")) { try Self.value("\"@path\"", request) }
    }

    @Test("@signature-params: received text by default, canonical on request (wire notes A9)")
    func paramsSource() throws {
        let spaced = "sig=(\"@method\"  \"@path\"); created=1618884473;keyid=\"k\""
        let input = try SignatureInputField(parsing: spaced).input(for: "sig")
        let received = try SignatureBase(input: input, request: Self.example)
        let canonical = try SignatureBase(input: input, request: Self.example, paramsSource: .canonical)
        #expect(
            received.text
                == "\"@method\": POST\n\"@path\": /foo\n\"@signature-params\": (\"@method\"  \"@path\"); created=1618884473;keyid=\"k\""
        )
        #expect(
            canonical.text
                == "\"@method\": POST\n\"@path\": /foo\n\"@signature-params\": (\"@method\" \"@path\");created=1618884473;keyid=\"k\""
        )
    }

    @Test("Component parameters are serialized on the identifier and params keep their order")
    func parameterOrder() throws {
        let text = try Self.base(
            "s=(\"example-dict\";key=\"b\");keyid=\"k\";created=5;x-ext=?1", label: "s",
            request: Self.fieldRequest)
        #expect(
            text
                == "\"example-dict\";key=\"b\": 2;x=1;y=2\n\"@signature-params\": (\"example-dict\";key=\"b\");keyid=\"k\";created=5;x-ext=?1"
        )
    }
}
