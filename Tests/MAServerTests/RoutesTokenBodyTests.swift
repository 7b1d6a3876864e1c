import Foundation
import Testing

@testable import MAServer
@testable import MissionCore

/// A granted token's body is written member by member (`Representation.issuedTokenBody`); it must be
/// byte for byte what the generic encoder writes for the same object.
@Suite("Token response body")
struct RoutesTokenBodyTests {
    static func generic(_ token: IssuedToken) throws -> [UInt8] {
        try CanonicalJSON.encode(
            .object([
                "auth_token": .string(token.token), "expires_in": .integer(Int64(token.expiresIn)),
                "scope": .string(token.scopes.joined(separator: " ")),
            ]))
    }

    static func token(_ text: String, scopes: [String], lifetime: TimeInterval) -> IssuedToken {
        let issued = Date(timeIntervalSince1970: 1_780_000_000)
        return IssuedToken(
            token: text, jti: "j", missionS256: "m", resource: "https://api.example", scopes: scopes,
            issuedAt: issued, expiresAt: issued.addingTimeInterval(lifetime))
    }

    @Test(arguments: [
        ("eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl", ["read"], 300.0),
        ("a.b.c", ["read", "write"], 0.0),
        ("quote \" back\\slash \u{1} caf\u{E9} \u{2028}", ["scope:with:colons", "caf\u{E9}"], 86_400.0),
        ("", [], 1.0),
    ])
    func matchesTheGenericEncoder(text: String, scopes: [String], lifetime: TimeInterval) throws {
        let token = Self.token(text, scopes: scopes, lifetime: lifetime)
        #expect(Representation.issuedTokenBody(token) == (try Self.generic(token)))
    }

    @Test func grantedResponseIsJSONAndNotStored() {
        let response = JSONResponse.make(encoded: Representation.issuedTokenBody(Self.token("a.b.c", scopes: ["read"], lifetime: 60)))
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(response.headers["Cache-Control"] == "no-store")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"auth_token":"a.b.c","expires_in":60,"scope":"read"}"#)
    }
}
