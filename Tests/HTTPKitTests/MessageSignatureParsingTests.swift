import Testing

@testable import HTTPKit

@Suite("Message signatures: Signature-Input and Signature parsing")
struct MessageSignatureParsingTests {
    static func input(_ text: String, label: String = "sig") throws -> SignatureInput {
        try SignatureInputField(parsing: text).input(for: label)
    }

    @Test("All signature parameters are read; unknown ones are kept in order")
    func parameters() throws {
        let input = try Self.input(
            "sig=(\"@method\");created=1;expires=2;keyid=\"k\";alg=\"ed25519\";nonce=\"n\";tag=\"t\";x-other=abc")
        let parameters = input.parameters
        #expect(parameters.created == 1)
        #expect(parameters.expires == 2)
        #expect(parameters.keyID == "k")
        #expect(parameters.algorithm == "ed25519")
        #expect(parameters.nonce == "n")
        #expect(parameters.tag == "t")
        #expect(parameters.parameters.keys == ["created", "expires", "keyid", "alg", "nonce", "tag", "x-other"])
        #expect(input.components == [.method])
    }

    @Test("Labels are selected by name; other members are not validated")
    func otherMembers() throws {
        let field = try SignatureInputField(
            parsing: "proxy=(\"@status\" \"X-Upper\");created=\"x\", sig=(\"@path\");created=1")
        #expect(field.labels == ["proxy", "sig"])
        #expect(try field.input(for: "sig").components == [.path])
        #expect(throws: SignatureError.invalidComponentIdentifier("@status")) { try field.input(for: "proxy") }
    }

    static let invalidInputs: [(String, SignatureError)] = [
        ("sig=(\"@Method\");created=1", .invalidComponentIdentifier("@Method")),
        ("sig=(\"Content-Type\");created=1", .invalidComponentIdentifier("Content-Type")),
        ("sig=(\"@foo\");created=1", .invalidComponentIdentifier("@foo")),
        ("sig=(\"@status\");created=1", .invalidComponentIdentifier("@status")),
        ("sig=(\"@signature-params\");created=1", .invalidComponentIdentifier("@signature-params")),
        ("sig=(\"\");created=1", .invalidComponentIdentifier("")),
        ("sig=(\"content type\");created=1", .invalidComponentIdentifier("content type")),
        ("sig=(method);created=1", .invalidComponentIdentifier("method")),
        ("sig=(\"@method\" \"@path\" \"@method\");created=1", .repeatedComponent("\"@method\"")),
        ("sig=(\"x\";key=\"a\" \"x\";key=\"a\");created=1", .repeatedComponent("\"x\";key=\"a\"")),
        // Past 16 components the repeat check takes its set-based path.
        (
            "sig=(" + (0..<20).map { "\"x-\($0)\"" }.joined(separator: " ") + " \"x-7\");created=1",
            .repeatedComponent("\"x-7\"")
        ),
        ("sig=(\"@method\";req);created=1", .invalidComponentIdentifier("\"@method\";req")),
        ("sig=(\"content-type\";foo);created=1", .invalidComponentIdentifier("\"content-type\";foo")),
        ("sig=(\"content-type\";tr);created=1", .invalidComponentIdentifier("\"content-type\";tr")),
        ("sig=(\"content-type\";sf=?0);created=1", .invalidComponentIdentifier("\"content-type\";sf=?0")),
        ("sig=(\"x\";key=1);created=1", .invalidComponentIdentifier("\"x\";key=1")),
        ("sig=(\"x\";bs;sf);created=1", .invalidComponentIdentifier("\"x\";bs;sf")),
        ("sig=(\"@query-param\");created=1", .invalidComponentIdentifier("\"@query-param\"")),
        ("sig=(\"@path\";name=\"a\");created=1", .invalidComponentIdentifier("\"@path\";name=\"a\"")),
        ("sig=(\"@method\");created=\"1\"", .invalidSignatureParameter("created")),
        ("sig=(\"@method\");created=1.5", .invalidSignatureParameter("created")),
        ("sig=(\"@method\");created", .invalidSignatureParameter("created")),
        ("sig=(\"@method\");expires=@5", .invalidSignatureParameter("expires")),
        ("sig=(\"@method\");keyid=k", .invalidSignatureParameter("keyid")),
        ("sig=(\"@method\");alg=ed25519", .invalidSignatureParameter("alg")),
        ("sig=(\"@method\");nonce=1", .invalidSignatureParameter("nonce")),
        ("sig=(\"@method\");tag=:AA==:", .invalidSignatureParameter("tag")),
        ("sig=\"@method\"", .invalidMember(field: "signature-input", key: "sig")),
        ("sig", .invalidMember(field: "signature-input", key: "sig")),
        ("other=(\"@method\")", .missingLabel(label: "sig", field: "signature-input")),
        (
            "sig=(\"@method\");created=1, sig=(\"@path\");created=1",
            .repeatedLabel(label: "sig", field: "signature-input")
        ),
        ("sig=(\"@method\"", .malformedField("signature-input", .unexpectedEnd(expected: .innerListDelimiter))),
        ("sig=(\"@method\"),", .malformedField("signature-input", .trailingComma(offset: 16))),
        ("Sig=(\"@method\")", .malformedField("signature-input", .unexpectedCharacter(offset: 0, expected: .key))),
        (
            "sig=(\"@method\") ;created=1",
            .malformedField("signature-input", .unexpectedCharacter(offset: 16, expected: .comma))
        ),
        ("", .missingLabel(label: "sig", field: "signature-input")),
    ]

    @Test("Invalid Signature-Input values", arguments: invalidInputs)
    func invalidInput(text: String, expected: SignatureError) {
        #expect(throws: expected) { try Self.input(text) }
        #expect(expected.code == .invalidSignature)
    }

    @Test(
        "Distinct components are accepted on both sides of the repeat check's 16-component switch",
        arguments: [3, 16, 17, 40])
    func distinctComponents(count: Int) throws {
        // The last one shares its name with the first but not its parameters, so it is a different component.
        let names = (1..<count).map { "\"x-\($0)\"" } + ["\"x-1\";sf"]
        let input = try Self.input("sig=(" + names.joined(separator: " ") + ");created=1")
        #expect(input.components.count == count)
    }

    @Test(
        "Signature accepts standard and base64url, padded or not",
        arguments: [
            "sig=:+/+/AA==:", "sig=:+/+/AA:", "sig=:-_-_AA==:", "sig=:-_-_AA:", "sig=:-_-_AA:;x=1",
        ])
    func liberalSignature(text: String) throws {
        #expect(try SignatureField(parsing: text).signature(for: "sig") == [0xFB, 0xFF, 0xBF, 0x00])
    }

    static let invalidSignatures: [(String, SignatureError)] = [
        ("sig=:+/-_:", .malformedField("signature", .invalidByteSequence(offset: 4))),
        ("sig=:abc", .malformedField("signature", .unexpectedEnd(expected: .byteSequenceEnd))),
        ("sig=:a.b:", .malformedField("signature", .invalidByteSequence(offset: 4))),
        ("sig=:A:", .malformedField("signature", .invalidByteSequence(offset: 4))),
        ("sig=:AA=A:", .malformedField("signature", .invalidByteSequence(offset: 4))),
        ("sig=\"AAAA\"", .invalidMember(field: "signature", key: "sig")),
        ("sig=(:AAAA:)", .invalidMember(field: "signature", key: "sig")),
        ("sig=::", .invalidMember(field: "signature", key: "sig")),
        ("sig", .invalidMember(field: "signature", key: "sig")),
        ("other=:AAAA:", .missingLabel(label: "sig", field: "signature")),
        ("sig=:AAAA:, sig=:BBBB:", .repeatedLabel(label: "sig", field: "signature")),
    ]

    @Test("Invalid Signature values", arguments: invalidSignatures)
    func invalidSignature(text: String, expected: SignatureError) {
        #expect(throws: expected) { try SignatureField(parsing: text).signature(for: "sig") }
    }

    @Test("Inputs for signing refuse repeated components and invalid labels")
    func signingInputs() throws {
        #expect(throws: SignatureError.repeatedComponent("\"@path\"")) {
            try SignatureInput(label: "sig", components: [.path, .path], parameters: SignatureParameters(created: 1))
        }
        #expect(throws: SignatureError.invalidMember(field: "signature-input", key: "Sig")) {
            try SignatureInput(label: "Sig", components: [.path], parameters: SignatureParameters(created: 1))
        }
        let input = try SignatureInput(
            label: "sig",
            components: [.method, try ComponentIdentifier("example-dict", parameters: ["key": .string("a")])],
            parameters: SignatureParameters(created: 10, expires: 70, keyID: "k", nonce: "n", tag: "t"))
        #expect(
            SignatureInputField.fieldValue([input])
                == "sig=(\"@method\" \"example-dict\";key=\"a\");created=10;expires=70;keyid=\"k\";nonce=\"n\";tag=\"t\""
        )
        #expect(
            try SignatureInputField(parsing: SignatureInputField.fieldValue([input])).input(for: "sig").components
                == input.components)
    }
}
