import Testing

@testable import HTTPKit

@Suite("Message signatures: Signature-Error, Accept-Signature-*, Content-Digest")
struct MessageSignatureResponseFieldTests {
    @Test("Signature-Error with required_input")
    func signatureErrorWithInput() throws {
        let error = SignatureError.missingRequiredComponents(
            required: ["@method", "@authority", "@path", "signature-key", "content-digest"], missing: ["content-digest"]
        )
        let text = SignatureErrorField.fieldValue(for: error)
        #expect(
            text
                == "error=invalid_input, required_input=(\"@method\" \"@authority\" \"@path\" \"signature-key\" \"content-digest\")"
        )
        // A client can read it back with the same parser.
        let parsed = try StructuredField.parseDictionary(text)
        #expect(parsed["error"]?.item?.bareItem == .token("invalid_input"))
        #expect(parsed["required_input"]?.innerList?.items.count == 5)
    }

    @Test("Signature-Error for every code is a token", arguments: SignatureErrorCode.allCases)
    func everyCode(code: SignatureErrorCode) throws {
        #expect(try SignatureErrorField.fieldValue(code: code) == "error=" + code.rawValue)
    }

    @Test("Signature-Error codes for representative failures")
    func mappedCodes() {
        #expect(SignatureErrorField.fieldValue(for: .createdInFuture(created: 2, now: 1)) == "error=clock_skew")
        #expect(SignatureErrorField.fieldValue(for: .missingField("signature")) == "error=invalid_signature")
        #expect(SignatureErrorField.fieldValue(for: .keyIDMismatch) == "error=invalid_key")
        #expect(
            SignatureErrorField.fieldValue(for: .unsupportedScheme("x", accepted: ["jwt"]))
                == "error=unsupported_scheme")
    }

    @Test("Response fields for a 401")
    func responseFields() {
        let unsupported = SignatureErrorField.responseFields(for: .unsupportedScheme("x509", accepted: ["jwt", "hwk"]))
        #expect(unsupported.map(\.name) == ["Signature-Error", "Accept-Signature-Scheme"])
        #expect(unsupported.map(\.value) == ["error=unsupported_scheme", "jwt, hwk"])
        let stale = SignatureErrorField.responseFields(for: .createdTooOld(created: 1, now: 100))
        #expect(stale.map(\.name) == ["Signature-Error"])
        #expect(stale.map(\.value) == ["error=invalid_signature"])
    }

    @Test("Accept-Signature-Scheme and Accept-Signature-Alg are lists of tokens, case kept")
    func acceptFields() throws {
        #expect(try SignatureErrorField.acceptSchemeFieldValue(["jwt"]) == "jwt")
        #expect(try SignatureErrorField.acceptSchemeFieldValue(["jwt", "hwk", "jwks_uri"]) == "jwt, hwk, jwks_uri")
        #expect(try SignatureErrorField.acceptAlgorithmFieldValue(["Ed25519", "ES256"]) == "Ed25519, ES256")
        #expect(throws: StructuredFieldError.invalidToken("ML DSA")) {
            try SignatureErrorField.acceptAlgorithmFieldValue(["ML DSA"])
        }
    }

    static let sha512 = [UInt8](repeating: 7, count: 64)
    static let sha256 = [UInt8](repeating: 9, count: 32)

    @Test("Content-Digest: the strongest supported algorithm is chosen")
    func contentDigestChoice() throws {
        let text =
            ContentDigest.fieldValue(algorithm: .sha256, digest: Self.sha256) + ", "
            + ContentDigest.fieldValue(algorithm: .sha512, digest: Self.sha512) + ", md5=:AAAA:"
        let digest = try ContentDigest(parsing: text)
        #expect(digest.digests.map(\.algorithm) == ["sha-256", "sha-512", "md5"])
        #expect(try digest.expectedDigest().algorithm == .sha512)
        #expect(try digest.expectedDigest(supported: [.sha256]).digest == Self.sha256)
    }

    @Test(
        "Content-Digest failures are invalid_request",
        arguments: [
            ("md5=:AAAA:", SignatureError.unsupportedDigest),
            ("sha-256=:AAAA:", .unsupportedDigest),
            ("sha-256=\"abc\"", .invalidMember(field: "content-digest", key: "sha-256")),
            ("sha-256=(:AAAA:)", .invalidMember(field: "content-digest", key: "sha-256")),
            ("sha-256=:AAAA", .malformedField("content-digest", .unexpectedEnd(expected: .byteSequenceEnd))),
            ("SHA-256=:AAAA:", .malformedField("content-digest", .unexpectedCharacter(offset: 0, expected: .key))),
        ])
    func contentDigestErrors(text: String, expected: SignatureError) {
        #expect(throws: expected) { try ContentDigest(parsing: text).expectedDigest() }
        #expect(expected.code == .invalidRequest)
    }

    @Test("Content-Digest in base64url is refused (RFC 8941 byte sequences are standard base64)")
    func contentDigestStrict() {
        #expect(throws: SignatureError.malformedField("content-digest", .invalidByteSequence(offset: 8))) {
            try ContentDigest(parsing: "sha-256=:-_-_:")
        }
    }

    @Test(
        "Want-Content-Digest preference",
        arguments: [
            ("sha-256=1, sha-512=3", ContentDigest.Algorithm.sha512 as ContentDigest.Algorithm?),
            ("sha-256=10, sha-512=3", .sha256),
            ("sha-512=0, sha-256=1", .sha256),
            ("sha-512=5, sha-256=5", .sha512),
            ("md5=10", nil),
            ("sha-256=0", nil),
        ])
    func wantContentDigest(text: String, expected: ContentDigest.Algorithm?) throws {
        #expect(try WantContentDigest(parsing: text).preferredAlgorithm() == expected)
    }

    @Test("Want-Content-Digest values must be integers 0…10")
    func wantContentDigestErrors() {
        #expect(throws: SignatureError.invalidMember(field: "want-content-digest", key: "sha-256")) {
            try WantContentDigest(parsing: "sha-256=11")
        }
        #expect(throws: SignatureError.invalidMember(field: "want-content-digest", key: "sha-256")) {
            try WantContentDigest(parsing: "sha-256=?1")
        }
        #expect(WantContentDigest([("sha-512", 10), ("sha-256", 3)]).fieldValue == "sha-512=10, sha-256=3")
    }
}
