import Foundation
import Testing
@testable import MissionCore

@Suite struct JWKTests {
    static let okpX = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"  // RFC 8037 §A.2 (RFC 8032 TEST 1)
    static let ecX = "YP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Y"
    static let ecY = "eQP-EAi4vJmkGunpVii8ZPLxsgwtfp9Rd6PClNRGIpk"

    static func parse(_ json: String, options: JWK.ParsingOptions = .standard) throws(JOSEError) -> JWK {
        try JWK(jsonData: Array(json.utf8), options: options)
    }

    @Test func rfc8037OKPThumbprint() throws {
        // RFC 8037 §A.3.
        let jwk = try Self.parse(#"{"kty":"OKP","crv":"Ed25519","x":"\#(Self.okpX)"}"#)
        #expect(jwk.thumbprint() == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
        #expect(jwk.thumbprintURI() == "urn:jkt:sha-256:kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
        #expect(
            String(decoding: jwk.thumbprintInput, as: UTF8.self)
                == #"{"crv":"Ed25519","kty":"OKP","x":"\#(Self.okpX)"}"#)
        #expect(jwk.algorithm == nil)
    }

    @Test func ecThumbprintMatchesPython() throws {
        // Expected value computed with python: sha256 of json.dumps({crv,kty,x,y}, sort_keys, compact).
        let jwk = try Self.parse(
            #"{"kty":"EC","crv":"P-256","x":"\#(Self.ecX)","y":"\#(Self.ecY)","alg":"ES256","kid":"e1","use":"sig"}"#)
        #expect(jwk.thumbprint() == "DOvxvJiAdIqVWIkFt5hDtCunXLF0BV4-JGv4f-ALSm0")
        #expect(jwk.keyType == .ec && jwk.curve == .p256 && jwk.algorithm == .es256)
        #expect(jwk.keyID == "e1" && jwk.use == "sig")
    }

    @Test func thumbprintIgnoresOptionalMembers() throws {
        let bare = try Self.parse(#"{"kty":"OKP","crv":"Ed25519","x":"\#(Self.okpX)"}"#)
        let full = try Self.parse(
            #"{"kid":"x","kty":"OKP","use":"sig","crv":"Ed25519","alg":"Ed25519","x":"\#(Self.okpX)","ext":true}"#)
        #expect(bare.thumbprint() == full.thumbprint())
    }

    @Test func canonicalOutputRoundTrips() throws {
        let jwk = try Self.parse(
            #"{"x":"\#(Self.okpX)","kty":"OKP","crv":"Ed25519","alg":"Ed25519","kid":"k1","use":"sig"}"#)
        #expect(
            jwk.jsonString
                == #"{"alg":"Ed25519","crv":"Ed25519","kid":"k1","kty":"OKP","use":"sig","x":"\#(Self.okpX)"}"#)
        #expect(try JWK(jsonData: jwk.jsonData) == jwk)
        let ec = try Self.parse(#"{"kty":"EC","crv":"P-256","x":"\#(Self.ecX)","y":"\#(Self.ecY)"}"#)
        #expect(ec.jsonString == #"{"crv":"P-256","kty":"EC","x":"\#(Self.ecX)","y":"\#(Self.ecY)"}"#)
        #expect(try JWK(json: ec.jsonValue) == ec)
    }

    @Test func fromFoundationDictionary() throws {
        let jwk = try JWK(
            jsonObject: ["kty": "OKP", "crv": "Ed25519", "x": Self.okpX, "alg": "Ed25519"],
            options: .aauthConveyedKey)
        #expect(jwk.algorithm == .ed25519)
        #expect(jwk.x == (try #require(Base64URL.decode(Self.okpX))))
    }

    @Test func fromKeysMatchesParsed() throws {
        let ed = try Ed25519.PrivateKey()
        let jwk = JWK(publicKey: ed.publicKey, keyID: "k")
        #expect(try JWK(jsonData: jwk.jsonData, options: .aauthConveyedKey) == jwk)
        let p = try P256.Signing.PrivateKey()
        let ecJWK = JOSEPublicKey.p256(p.publicKey).jwk(keyID: "p")
        #expect(ecJWK.algorithm == .es256)
        #expect(try JWK(jsonData: ecJWK.jsonData, options: .aauthConveyedKey) == ecJWK)
    }

    @Test func legacyEdDSAAlias() throws {
        let json = #"{"kty":"OKP","crv":"Ed25519","x":"\#(Self.okpX)","alg":"EdDSA"}"#
        #expect(try Self.parse(json).algorithm == .ed25519)
        #expect(try Self.parse(json).jsonString.contains(#""alg":"Ed25519""#))
        #expect(throws: JOSEError.unsupportedAlgorithm("EdDSA")) { try Self.parse(json, options: .aauthConveyedKey) }
    }

    struct Rejection: Sendable, CustomTestStringConvertible {
        let name: String
        let json: String
        let options: JWK.ParsingOptions
        let error: JOSEError
        var testDescription: String { name }
        init(_ name: String, _ json: String, _ error: JOSEError, options: JWK.ParsingOptions = .standard) {
            self.name = name
            self.json = json
            self.error = error
            self.options = options
        }
    }

    static let rejections: [Rejection] = [
        Rejection("unknown kty", #"{"kty":"AKP","alg":"ML-DSA-44","pub":"AA"}"#, .unsupportedAlgorithm("ML-DSA-44")),
        Rejection("unknown kty without alg", #"{"kty":"AKP","pub":"AA"}"#, .unsupportedKeyType("AKP")),
        Rejection("RSA", #"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#, .unsupportedKeyType("RSA")),
        Rejection("oct", #"{"kty":"oct","k":"AAAA"}"#, .unsupportedKeyType("oct")),
        Rejection("oct with HS256", #"{"kty":"oct","k":"AAAA","alg":"HS256"}"#, .unsupportedAlgorithm("HS256")),
        Rejection("OKP X25519", #"{"kty":"OKP","crv":"X25519","x":"\#(okpX)"}"#, .unsupportedKeyType("OKP X25519")),
        Rejection(
            "EC P-384", #"{"kty":"EC","crv":"P-384","x":"\#(ecX)","y":"\#(ecY)"}"#, .unsupportedKeyType("EC P-384")),
        Rejection(
            "ES256 with P-384", #"{"kty":"EC","crv":"P-384","alg":"ES256","x":"\#(ecX)","y":"\#(ecY)"}"#,
            .invalidKey("alg ES256 requires kty EC with crv P-256")),
        Rejection(
            "Ed25519 with EC", #"{"kty":"EC","crv":"P-256","alg":"Ed25519","x":"\#(ecX)","y":"\#(ecY)"}"#,
            .invalidKey("alg Ed25519 requires kty OKP with crv Ed25519")),
        Rejection(
            "ES256 with RSA", #"{"kty":"RSA","alg":"ES256","n":"AQAB","e":"AQAB"}"#,
            .invalidKey("alg ES256 requires kty EC with crv P-256")),
        Rejection(
            "ES256 with OKP", #"{"kty":"OKP","crv":"Ed25519","alg":"ES256","x":"\#(okpX)"}"#,
            .invalidKey("alg ES256 requires kty EC with crv P-256")),
        Rejection(
            "ES384", #"{"kty":"EC","crv":"P-384","alg":"ES384","x":"\#(ecX)","y":"\#(ecY)"}"#,
            .unsupportedAlgorithm("ES384")),
        Rejection(
            "alg none", #"{"kty":"OKP","crv":"Ed25519","alg":"none","x":"\#(okpX)"}"#, .unsupportedAlgorithm("none")),
        Rejection(
            "alg lowercase", #"{"kty":"OKP","crv":"Ed25519","alg":"ed25519","x":"\#(okpX)"}"#,
            .unsupportedAlgorithm("ed25519")),
        Rejection(
            "missing alg", #"{"kty":"OKP","crv":"Ed25519","x":"\#(okpX)"}"#, .missingAlgorithm,
            options: .aauthConveyedKey),
        Rejection(
            "private d",
            #"{"kty":"OKP","crv":"Ed25519","x":"\#(okpX)","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}"#,
            .invalidKey("private member d in a public JWK")),
        Rejection(
            "short x", #"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUQ"}"#,
            .invalidKey("JWK member x has 31 bytes, expected 32")),
        Rejection(
            "padded x", #"{"kty":"OKP","crv":"Ed25519","x":"\#(okpX)="}"#, .malformed("JWK member x is not base64url")),
        Rejection(
            "standard alphabet x",
            #"{"kty":"EC","crv":"P-256","x":"\#(ecX)","y":"eQP+EAi4vJmkGunpVii8ZPLxsgwtfp9Rd6PClNRGIpk"}"#,
            .malformed("JWK member y is not base64url")),
        Rejection(
            "OKP with y", #"{"kty":"OKP","crv":"Ed25519","x":"\#(okpX)","y":"\#(ecY)"}"#,
            .invalidKey("OKP key with a y member")),
        Rejection("EC without y", #"{"kty":"EC","crv":"P-256","x":"\#(ecX)"}"#, .malformed("JWK member y is missing")),
        Rejection("missing kty", #"{"crv":"Ed25519","x":"\#(okpX)"}"#, .malformed("JWK member kty is missing")),
        Rejection("missing crv", #"{"kty":"OKP","x":"\#(okpX)"}"#, .malformed("JWK member crv is missing")),
        Rejection(
            "numeric kid", #"{"kty":"OKP","crv":"Ed25519","x":"\#(okpX)","kid":1}"#,
            .malformed("JWK member kid is not a string")),
        Rejection(
            "use enc", #"{"kty":"OKP","crv":"Ed25519","x":"\#(okpX)","use":"enc"}"#, .invalidKey("use enc is not sig")),
        Rejection(
            "duplicate x", #"{"kty":"OKP","crv":"Ed25519","x":"\#(okpX)","x":"\#(okpX)"}"#,
            .malformed("duplicate member name \"x\"")),
        Rejection("array", #"[]"#, .malformed("a JWK must be a JSON object")),
    ]

    @Test(arguments: rejections)
    func rejects(rejection: Rejection) {
        #expect(throws: rejection.error) { try Self.parse(rejection.json, options: rejection.options) }
    }

    @Test func rejectsPointOffCurve() {
        // y with its last bit flipped is not on the curve for this x.
        let badY = Base64URL.encode(flippingBit(Base64URL.decode(Self.ecY) ?? [], at: 31))
        #expect {
            try Self.parse(#"{"kty":"EC","crv":"P-256","x":"\#(Self.ecX)","y":"\#(badY)"}"#)
        } throws: { error in
            if case .invalidKey = error as? JOSEError { return true }
            return false
        }
    }
}

@Suite struct JWKSetTests {
    static let apJWKS =
        #"{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "PUAXw-hDiVqStwqnTRt-vJyYLM8uxJaMwM1V8Sr0Zgw", "alg": "Ed25519", "kid": "ap-key-1", "use": "sig"}]}"#

    @Test func parsesAndSelectsByKeyID() throws {
        let set = try JWKSet(jsonData: Array(Self.apJWKS.utf8), options: .aauthConveyedKey)
        #expect(set.keys.count == 1 && set.ignoredKeyCount == 0)
        let key = try #require(set.key(withID: "ap-key-1"))
        #expect(key.x == hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"))  // RFC 8032 TEST 2
        #expect(set.key(withID: "other") == nil)
        #expect(try JWKSet(jsonData: set.jsonData) == set)
    }

    @Test func skipsUnsupportedKeysButNotMalformedSets() throws {
        let json =
            #"{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","kid":"r"},{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"a"}]}"#
        let set = try JWKSet(jsonData: Array(json.utf8))
        #expect(set.keys.map(\.keyID) == ["a"])
        #expect(set.ignoredKeyCount == 1)
        #expect(throws: JOSEError.self) { try JWKSet(jsonData: Array(#"{"keys":{}}"#.utf8)) }
        #expect(throws: JOSEError.self) { try JWKSet(jsonData: Array(#"{"keys":[1]}"#.utf8)) }
        #expect(throws: JOSEError.self) { try JWKSet(jsonData: Array(#"{}"#.utf8)) }
    }

    @Test func ambiguousKeyIDSelectsNothing() throws {
        let a = JWK(publicKey: try Ed25519.PrivateKey().publicKey, keyID: "same")
        let b = JWK(publicKey: try Ed25519.PrivateKey().publicKey, keyID: "same")
        #expect(JWKSet(keys: [a, b]).key(withID: "same") == nil)
    }
}
