import Testing

@testable import HTTPKit

@Suite("Message signatures: AAuth policy and verifier preparation")
struct MessageSignaturePolicyTests {
    static let now: Int64 = 1_730_217_600

    static func input(_ components: String, params: String = ";created=1730217600") throws -> SignatureInput {
        try SignatureInputField(parsing: "sig=(" + components + ")" + params).input(for: "sig")
    }

    static let allWithoutBody = "\"@method\" \"@authority\" \"@path\" \"signature-key\""

    @Test("Required components without a body")
    func requiredWithoutBody() throws {
        try SignaturePolicy().check(try Self.input(Self.allWithoutBody), hasBody: false, now: Self.now)
        // Order is free.
        try SignaturePolicy().check(
            try Self.input("\"signature-key\" \"@path\" \"@authority\" \"@method\""), hasBody: false, now: Self.now)
        let expected = SignatureError.missingRequiredComponents(
            required: ["@method", "@authority", "@path", "signature-key"], missing: ["signature-key"])
        #expect(throws: expected) {
            try SignaturePolicy().check(
                try Self.input("\"@method\" \"@authority\" \"@path\""), hasBody: false, now: Self.now)
        }
        #expect(expected.code == .invalidInput)
        #expect(expected.requiredInput == ["@method", "@authority", "@path", "signature-key"])
    }

    @Test("A body also requires content-type and content-digest")
    func requiredWithBody() throws {
        let expected = SignatureError.missingRequiredComponents(
            required: ["@method", "@authority", "@path", "signature-key", "content-type", "content-digest"],
            missing: ["content-type", "content-digest"])
        #expect(throws: expected) {
            try SignaturePolicy().check(try Self.input(Self.allWithoutBody), hasBody: true, now: Self.now)
        }
        try SignaturePolicy().check(
            try Self.input(Self.allWithoutBody + " \"content-type\" \"content-digest\""), hasBody: true, now: Self.now)
    }

    @Test("A parameterized identifier does not satisfy a plain requirement")
    func parameterizedDoesNotCount() throws {
        let input = try Self.input("\"@method\" \"@authority\" \"@path\" \"signature-key\";sf")
        #expect(
            throws: SignatureError.missingRequiredComponents(
                required: ["@method", "@authority", "@path", "signature-key"], missing: ["signature-key"])
        ) {
            try SignaturePolicy().check(input, hasBody: false, now: Self.now)
        }
    }

    @Test(
        "created window: stale is invalid_signature, ahead is clock_skew",
        arguments: [
            (now - 60, nil as SignatureError?),
            (now + 60, nil),
            (now, nil),
            (now - 61, .createdTooOld(created: now - 61, now: now)),
            (now + 61, .createdInFuture(created: now + 61, now: now)),
        ])
    func createdWindow(created: Int64, expected: SignatureError?) throws {
        let input = try Self.input(Self.allWithoutBody, params: ";created=\(created)")
        if let expected {
            #expect(throws: expected) { try SignaturePolicy().check(input, hasBody: false, now: Self.now) }
        } else {
            try SignaturePolicy().check(input, hasBody: false, now: Self.now)
        }
    }

    @Test("Error codes for freshness failures")
    func freshnessCodes() {
        #expect(SignatureError.createdTooOld(created: 0, now: 100).code == .invalidSignature)
        #expect(SignatureError.createdInFuture(created: 100, now: 0).code == .clockSkew)
        #expect(SignatureError.expired(expires: 0, now: 1).code == .invalidSignature)
        #expect(SignatureError.missingCreated.code == .invalidSignature)
    }

    @Test("The window is configurable")
    func configurableWindow() throws {
        let input = try Self.input(Self.allWithoutBody, params: ";created=\(Self.now - 200)")
        try SignaturePolicy(window: 300).check(input, hasBody: false, now: Self.now)
        #expect(throws: SignatureError.createdTooOld(created: Self.now - 200, now: Self.now)) {
            try SignaturePolicy().check(input, hasBody: false, now: Self.now)
        }
    }

    @Test("created is required; expires is honoured; alg and keyid are neither required nor used")
    func parameters() throws {
        #expect(throws: SignatureError.missingCreated) {
            try SignaturePolicy().check(try Self.input(Self.allWithoutBody, params: ""), hasBody: false, now: Self.now)
        }
        let expired = try Self.input(Self.allWithoutBody, params: ";created=\(Self.now - 10);expires=\(Self.now - 1)")
        #expect(throws: SignatureError.expired(expires: Self.now - 1, now: Self.now)) {
            try SignaturePolicy().check(expired, hasBody: false, now: Self.now)
        }
        let live = try Self.input(
            Self.allWithoutBody, params: ";created=\(Self.now);expires=\(Self.now);alg=\"rsa-v1_5-sha256\"")
        try SignaturePolicy().check(live, hasBody: false, now: Self.now)
    }

    // MARK: Verifier preparation over whole requests

    @Test("Missing fields are invalid_signature", arguments: ["signature-input", "signature", "signature-key"])
    func missingFields(name: String) {
        let full = AAuthVector.request()
        let request = SignedRequestComponents(
            method: full.method, scheme: full.scheme, authority: full.authority, path: full.path, query: full.query
        ) { field in field == name ? [] : full.fieldValues(field) }
        #expect(throws: SignatureError.missingField(name)) {
            try VerifiableSignature(request: request, hasBody: true, now: Self.now)
        }
        #expect(SignatureError.missingField(name).code == .invalidSignature)
    }

    @Test("Labels correlate across the three fields: the first label present in all three is chosen")
    func labelCorrelation() throws {
        let request = AAuthVector.request(
            signatureInput: "lone=();created=1, " + AAuthVector.signatureInput + ", proxy=(\"@status\");created=1",
            signature: "proxy=:AAAA:, " + AAuthVector.signature,
            signatureKey: AAuthVector.signatureKey + ", proxy=x509;x5u=\"https://p\"")
        let prepared = try VerifiableSignature(request: request, hasBody: true, now: Self.now)
        #expect(prepared.label == "sig")
        // The whole Signature-Key field is covered, members for other labels included.
        #expect(
            prepared.base.text.contains(
                "\n\"signature-key\": " + AAuthVector.signatureKey + ", proxy=x509;x5u=\"https://p\"\n"))
        #expect(throws: SignatureError.invalidComponentIdentifier("@status")) {
            try VerifiableSignature(request: request, hasBody: true, now: Self.now, label: "proxy")
        }
        let mismatched = AAuthVector.request(signature: "other=:AAAA:")
        #expect(throws: SignatureError.noCommonLabel) {
            try VerifiableSignature(request: mismatched, hasBody: true, now: Self.now)
        }
        #expect(throws: SignatureError.missingLabel(label: "sig", field: "signature")) {
            try VerifiableSignature(request: mismatched, hasBody: true, now: Self.now, label: "sig")
        }
    }

    @Test("Coverage is checked before created, created before the scheme (wire notes §1.5)")
    func checkOrder() throws {
        let stale = AAuthVector.request(
            signatureInput: "sig=(\"@method\");created=1", signatureKey: "sig=x509;x5u=\"https://p\"")
        #expect(
            throws: SignatureError.missingRequiredComponents(
                required: ["@method", "@authority", "@path", "signature-key", "content-type", "content-digest"],
                missing: ["@authority", "@path", "signature-key", "content-type", "content-digest"])
        ) {
            try VerifiableSignature(request: stale, hasBody: true, now: Self.now)
        }
        let unknownScheme = AAuthVector.request(signatureKey: "sig=x509;x5u=\"https://p\"")
        #expect(throws: SignatureError.createdTooOld(created: Self.now, now: Self.now + 100)) {
            try VerifiableSignature(request: unknownScheme, hasBody: true, now: Self.now + 100)
        }
        #expect(throws: SignatureError.unsupportedScheme("x509", accepted: ["jwt", "hwk", "jwks_uri"])) {
            try VerifiableSignature(request: unknownScheme, hasBody: true, now: Self.now)
        }
    }

    @Test("Non-canonical Signature-Input: the received text is signed, the canonical base is offered too")
    func spacedSignatureInput() throws {
        let spaced = AAuthVector.signatureInput.replacingOccurrences(";created", with: "; created")
        let prepared = try VerifiableSignature(
            request: AAuthVector.request(signatureInput: spaced), hasBody: true, now: Self.now)
        #expect(prepared.base.text.hasSuffix("\"signature-key\"); created=1730217600"))
        #expect(prepared.canonicalBase?.text == AAuthVector.base)
    }

    @Test("keyid that disagrees with a jwks_uri kid is refused")
    func keyIDMismatch() throws {
        let key = "sig=jwks_uri;id=\"https://ps.example\";dwk=\"aauth-person.json\";kid=\"k1\""
        let good = AAuthVector.request(
            signatureInput: AAuthVector.signatureInput + ";keyid=\"k1\"", signatureKey: key)
        #expect(try VerifiableSignature(request: good, hasBody: true, now: Self.now).input.parameters.keyID == "k1")
        let bad = AAuthVector.request(signatureInput: AAuthVector.signatureInput + ";keyid=\"k2\"", signatureKey: key)
        #expect(throws: SignatureError.keyIDMismatch) {
            try VerifiableSignature(request: bad, hasBody: true, now: Self.now)
        }
    }

    @Test("A covered field absent from the request makes the base impossible")
    func absentCoveredField() throws {
        let input = AAuthVector.signatureInput.replacingOccurrences(
            "\"signature-key\")", with: "\"signature-key\" \"x-extra\")")
        let request = AAuthVector.request(signatureInput: input)
        #expect(throws: SignatureError.missingComponentValue("\"x-extra\"")) {
            try VerifiableSignature(request: request, hasBody: true, now: Self.now)
        }
        let present = AAuthVector.request(signatureInput: input, extraFields: [("X-Extra", " v ")])
        let prepared = try VerifiableSignature(request: present, hasBody: true, now: Self.now)
        #expect(prepared.base.text.contains("\n\"x-extra\": v\n"))
    }

    @Test("Multiple Signature-Input field lines are combined")
    func multipleLines() throws {
        let full = AAuthVector.request()
        let request = SignedRequestComponents(
            method: "POST", scheme: "https", authority: "ma.example", path: "/mission", query: nil
        ) { name in
            name == "signature-input" ? ["other=();created=1", AAuthVector.signatureInput] : full.fieldValues(name)
        }
        #expect(try VerifiableSignature(request: request, hasBody: true, now: Self.now).base.text == AAuthVector.base)
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
