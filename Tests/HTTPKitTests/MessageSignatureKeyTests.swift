import Testing

@testable import HTTPKit

@Suite("Message signatures: Signature-Key schemes")
struct MessageSignatureKeyTests {
    static func key(_ text: String, label: String = "sig") throws -> SignatureKey {
        try SignatureKeyField(parsing: text).key(for: label)
    }

    @Test("jwt, with the optional cache flag")
    func jwt() throws {
        let key = try Self.key("sig=jwt;jwt=\"eyJ.a.b\";cache")
        #expect(key.scheme == .jwt(token: "eyJ.a.b"))
        #expect(key.schemeName == "jwt")
        #expect(key.allowsCaching)
        #expect(try Self.key("sig=jwt;jwt=\"eyJ.a.b\"").allowsCaching == false)
    }

    @Test("hwk for OKP, EC and RSA keys")
    func hwk() throws {
        let okp = try Self.key("sig=hwk;kty=\"OKP\";crv=\"Ed25519\";x=\"11qY\";alg=\"Ed25519\"")
        #expect(okp.scheme == .hwk(InlinePublicKey(kty: "OKP", crv: "Ed25519", x: "11qY", alg: "Ed25519")))
        let ec = try Self.key("sig=hwk;kty=\"EC\";crv=\"P-256\";x=\"xx\";y=\"yy\";alg=\"ES256\"")
        #expect(ec.scheme == .hwk(InlinePublicKey(kty: "EC", crv: "P-256", x: "xx", y: "yy", alg: "ES256")))
        let rsa = try Self.key("sig=hwk;kty=\"RSA\";n=\"nn\";e=\"AQAB\";alg=\"PS256\"")
        #expect(rsa.scheme == .hwk(InlinePublicKey(kty: "RSA", n: "nn", e: "AQAB", alg: "PS256")))
        let noAlg = try Self.key("sig=hwk;kty=\"OKP\";crv=\"Ed25519\";x=\"11qY\"")
        guard case .hwk(let inline) = noAlg.scheme else { Issue.record("not hwk"); return }
        #expect(inline.alg == nil)
        let unknownType = try Self.key("sig=hwk;kty=\"AKP\";alg=\"ML-DSA-44\"")
        guard case .hwk(let akp) = unknownType.scheme else { Issue.record("not hwk"); return }
        #expect(akp.kty == "AKP")
    }

    @Test("hwk member round trip for signing clients")
    func hwkMemberValue() throws {
        let inline = InlinePublicKey(kty: "OKP", crv: "Ed25519", x: "11qY", alg: "Ed25519")
        #expect(inline.memberValue == "hwk;kty=\"OKP\";crv=\"Ed25519\";x=\"11qY\";alg=\"Ed25519\"")
        #expect(try Self.key("sig=" + inline.memberValue).scheme == .hwk(inline))
    }

    @Test("jwks_uri and jkt-jwt")
    func otherSchemes() throws {
        let jwks = try Self.key("sig=jwks_uri;id=\"https://ps.example\";dwk=\"aauth-person.json\";kid=\"k1\"")
        #expect(jwks.scheme == .jwksURI(id: "https://ps.example", dwk: "aauth-person.json", kid: "k1"))
        #expect(try Self.key("sig=jkt-jwt;jwt=\"e.f.g\"").scheme == .jktJWT(token: "e.f.g"))
    }

    @Test("Unknown schemes are reported, not refused, so the caller can answer unsupported_scheme")
    func unknownScheme() throws {
        let key = try Self.key("sig=x509;x5u=\"https://a\";x5t=:AAAA:")
        #expect(key.scheme == .other("x509"))
        #expect(key.parameters["x5t"] == .byteSequence([0, 0, 0]))
        #expect(throws: SignatureError.unsupportedScheme("x509", accepted: ["jwt", "hwk", "jwks_uri"])) {
            try SignaturePolicy().check(key)
        }
        #expect(SignatureError.unsupportedScheme("x509", accepted: []).code == .unsupportedScheme)
        let jwt = try Self.key("sig=jwt;jwt=\"a\"")
        #expect(throws: SignatureError.unsupportedScheme("jwt", accepted: ["hwk"])) {
            try SignaturePolicy(acceptedSchemes: ["hwk"]).check(jwt)
        }
    }

    @Test("Members for other labels are never interpreted")
    func otherLabels() throws {
        let field = try SignatureKeyField(parsing: "proxy=weird;kid=1, sig=jwt;jwt=\"a.b.c\", broken=\"x\"")
        #expect(field.labels == ["proxy", "sig", "broken"])
        #expect(try field.key(for: "sig").scheme == .jwt(token: "a.b.c"))
    }

    static let invalid: [(String, SignatureError)] = [
        (
            "sig=hwk;kty=\"OKP\";crv=\"Ed25519\";x=\"a\";alg=\"Ed25519\";kid=\"k\"",
            .invalidKeyParameter(scheme: "hwk", parameter: "kid")
        ),
        ("sig=hwk;crv=\"Ed25519\";x=\"a\"", .invalidKeyParameter(scheme: "hwk", parameter: "kty")),
        ("sig=hwk;kty=\"OKP\";crv=\"Ed25519\"", .invalidKeyParameter(scheme: "hwk", parameter: "x")),
        ("sig=hwk;kty=\"EC\";crv=\"P-256\";x=\"a\"", .invalidKeyParameter(scheme: "hwk", parameter: "y")),
        ("sig=hwk;kty=\"RSA\";n=\"a\"", .invalidKeyParameter(scheme: "hwk", parameter: "e")),
        ("sig=hwk;kty=OKP;crv=\"Ed25519\";x=\"a\"", .invalidKeyParameter(scheme: "hwk", parameter: "kty")),
        ("sig=hwk;kty=\"OKP\";crv=\"Ed25519\";x=:AAAA:", .invalidKeyParameter(scheme: "hwk", parameter: "x")),
        ("sig=jwt", .invalidKeyParameter(scheme: "jwt", parameter: "jwt")),
        ("sig=jwt;jwt=abc", .invalidKeyParameter(scheme: "jwt", parameter: "jwt")),
        ("sig=jwt;jwt=\"\"", .invalidKeyParameter(scheme: "jwt", parameter: "jwt")),
        ("sig=jkt-jwt", .invalidKeyParameter(scheme: "jkt-jwt", parameter: "jwt")),
        ("sig=jwks_uri;id=\"https://a\";dwk=\"d\"", .invalidKeyParameter(scheme: "jwks_uri", parameter: "kid")),
        (
            "sig=jwks_uri;jwks_uri=\"https://ps.example/.well-known/jwks.json\"",
            .invalidKeyParameter(scheme: "jwks_uri", parameter: "id")
        ),
        ("sig=\"jwt\";jwt=\"a\"", .invalidMember(field: "signature-key", key: "sig")),
        ("sig=(jwt)", .invalidMember(field: "signature-key", key: "sig")),
        ("other=jwt;jwt=\"a\"", .missingLabel(label: "sig", field: "signature-key")),
        ("sig=jwt;jwt=\"a\", sig=hwk", .repeatedLabel(label: "sig", field: "signature-key")),
        ("sig=jwt;jwt=\"a", .malformedField("signature-key", .unexpectedEnd(expected: .stringQuote))),
    ]

    @Test("Invalid Signature-Key members", arguments: invalid)
    func invalidMembers(text: String, expected: SignatureError) {
        #expect(throws: expected) { try Self.key(text) }
    }

    @Test("Malformed keys map to invalid_key, missing labels to invalid_signature")
    func codes() {
        #expect(SignatureError.invalidKeyParameter(scheme: "hwk", parameter: "kid").code == .invalidKey)
        #expect(SignatureError.invalidMember(field: "signature-key", key: "sig").code == .invalidKey)
        #expect(SignatureError.malformedField("signature-key", .trailingComma(offset: 1)).code == .invalidKey)
        #expect(SignatureError.missingLabel(label: "sig", field: "signature-key").code == .invalidSignature)
    }
}
