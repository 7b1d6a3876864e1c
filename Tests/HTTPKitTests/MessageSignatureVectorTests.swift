import Testing

@testable import HTTPKit

/// The shared AAuth vector (../shared/vectors/test-vectors.txt): `POST /mission` on `ma.example`, signed with the
/// RFC 8032 §7.1 TEST 2 key. The inputs are copied here so the test does not depend on the file system.
enum AAuthVector {
    static let agentToken =
        "eyJhbGciOiJFZDI1NTE5IiwidHlwIjoiYWEtYWdlbnQrand0Iiwia2lkIjoiYXAta2V5LTEifQ.eyJpc3MiOiJodHRwczovL2FnZW50LmV4YW1wbGUiLCJkd2siOiJhYXV0aC1hZ2VudC5qc29uIiwic3ViIjoiYWF1dGg6YXNzaXN0YW50QGFnZW50LmV4YW1wbGUiLCJqdGkiOiJhdC0wMDAxIiwiY25mIjp7Imp3ayI6eyJrdHkiOiJPS1AiLCJjcnYiOiJFZDI1NTE5IiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8iLCJhbGciOiJFZDI1NTE5In19LCJwcyI6Imh0dHBzOi8vbWEuZXhhbXBsZSIsImlhdCI6MTczMDIxNzAwMCwiZXhwIjoxNzMwMjIwNjAwfQ.55DYbqqc_t8NPVnqXSU-u8oDSPjw9XlGJmovwqgTrsix8ct1ItbfhvvGgj1DuwH1Wzqjdk1noN_UIbY6riGFCw"
    static let contentDigest = "sha-256=:MTOKSm1gbSagtkSGID99Fza+1TnlUGSL0rfJYN8rsAM=:"
    static let signatureInput =
        "sig=(\"@method\" \"@authority\" \"@path\" \"content-type\" \"content-digest\" \"signature-key\");created=1730217600"
    static let signatureKey = "sig=jwt;jwt=\"" + agentToken + "\""
    static let signature =
        "sig=:zFZ8b9NNt7dfWcl64LQBF1nux2Ohi7gNY3o3DPsQ7gFS6rF95NtudMSjKshusNjU87X1VONSd4y0DtqSnMyeBg==:"
    static let created: Int64 = 1_730_217_600
    static let base = [
        "\"@method\": POST",
        "\"@authority\": ma.example",
        "\"@path\": /mission",
        "\"content-type\": application/json",
        "\"content-digest\": " + contentDigest,
        "\"signature-key\": " + signatureKey,
        "\"@signature-params\": (\"@method\" \"@authority\" \"@path\" \"content-type\" \"content-digest\" \"signature-key\");created=1730217600",
    ].joined(separator: "\n")

    /// The vector request; `authority` and extra fields can be varied by tests.
    static func request(
        authority: String = "ma.example", signatureInput: String = signatureInput, signature: String = signature,
        signatureKey: String = signatureKey, extraFields: [(name: String, value: String)] = []
    ) -> SignedRequestComponents {
        SignedRequestComponents(
            method: "POST", scheme: "https", authority: authority, path: "/mission", query: nil,
            fields: [
                ("Content-Type", "application/json"),
                ("Content-Digest", contentDigest),
                ("Signature-Input", signatureInput),
                ("Signature", signature),
                ("Signature-Key", signatureKey),
            ] + extraFields)
    }

    /// The 64 signature bytes, decoded independently of HTTPKit's parser.
    static let signatureBytes: [UInt8] = decodeBase64(
        "zFZ8b9NNt7dfWcl64LQBF1nux2Ohi7gNY3o3DPsQ7gFS6rF95NtudMSjKshusNjU87X1VONSd4y0DtqSnMyeBg==")

    static func decodeBase64(_ text: String) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var bits: UInt32 = 0
        var count = 0
        var output: [UInt8] = []
        for byte in text.utf8 where byte != UInt8(ascii: "=") {
            bits = bits << 6 | UInt32(alphabet.firstIndex(of: byte) ?? 0)
            count += 6
            if count >= 8 {
                count -= 8
                output.append(UInt8(bits >> UInt32(count) & 0xFF))
            }
        }
        return output
    }
}

@Suite("Message signatures: the shared AAuth vector, byte for byte")
struct MessageSignatureVectorTests {
    @Test("The signature base is reproduced exactly")
    func base() throws {
        let request = AAuthVector.request()
        let input = try SignatureInputField(parsing: AAuthVector.signatureInput).input(for: "sig")
        let base = try SignatureBase(input: input, request: request)
        #expect(base.text == AAuthVector.base)
        #expect(base.bytes == Array(AAuthVector.base.utf8))
        #expect(base.bytes.last != UInt8(ascii: "\n"))
        #expect(try SignatureBase(input: input, request: request, paramsSource: .canonical) == base)
    }

    @Test("The Signature value parses to the 64 signature bytes")
    func signature() throws {
        let bytes = try SignatureField(parsing: AAuthVector.signature).signature(for: "sig")
        #expect(bytes.count == 64)
        #expect(bytes == AAuthVector.signatureBytes)
        #expect(SignatureField.fieldValue([("sig", bytes)]) == AAuthVector.signature)
    }

    @Test("Full verifier preparation on the vector request")
    func prepared() throws {
        let prepared = try VerifiableSignature(
            request: AAuthVector.request(), hasBody: true, now: AAuthVector.created + 30)
        #expect(prepared.label == "sig")
        #expect(prepared.base.text == AAuthVector.base)
        #expect(prepared.canonicalBase == nil)
        #expect(prepared.signature == AAuthVector.signatureBytes)
        #expect(prepared.key.scheme == .jwt(token: AAuthVector.agentToken))
        #expect(prepared.input.parameters.created == AAuthVector.created)
    }

    @Test("The signing side produces the vector's Signature-Input, base and Signature")
    func signer() throws {
        let signer = try MessageSigner(
            label: "sig",
            components: [.method, .authority, .path, .contentType, .contentDigest, .signatureKey],
            parameters: SignatureParameters(created: AAuthVector.created),
            request: AAuthVector.request())
        #expect(signer.signatureInputFieldValue == AAuthVector.signatureInput)
        #expect(signer.base.text == AAuthVector.base)
        #expect(signer.signatureFieldValue(signature: AAuthVector.signatureBytes) == AAuthVector.signature)
        #expect(
            try SignatureKeyField.jwtFieldValue(label: "sig", token: AAuthVector.agentToken) == AAuthVector.signatureKey
        )
    }

    @Test("Content-Digest of the vector parses to a 32-byte SHA-256 digest")
    func contentDigest() throws {
        let digest = try ContentDigest(parsing: AAuthVector.contentDigest).expectedDigest()
        #expect(digest.algorithm == .sha256)
        #expect(digest.digest == AAuthVector.decodeBase64("MTOKSm1gbSagtkSGID99Fza+1TnlUGSL0rfJYN8rsAM="))
        #expect(ContentDigest.fieldValue(algorithm: .sha256, digest: digest.digest) == AAuthVector.contentDigest)
    }

    @Test("A changed covered value changes the base (tamper check)")
    func tamper() throws {
        let input = try SignatureInputField(parsing: AAuthVector.signatureInput).input(for: "sig")
        let other = try SignatureBase(input: input, request: AAuthVector.request(authority: "evil.example"))
        #expect(other.text != AAuthVector.base)
    }
}
