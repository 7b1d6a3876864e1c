@testable import MissionCore

enum JOSETestSupport {
    /// RFC 8032 §7.1 TEST 1 key, the one RFC 8037 §A uses.
    static func rfc8037Key() throws -> Ed25519.PrivateKey {
        try Ed25519.PrivateKey(
            rawRepresentation: hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
    }

    /// A compact JWS over literal header and payload JSON texts, signed as `key` signs
    /// (whatever the header says), so tests can build tokens the library would refuse to create.
    static func token(header: String, payload: String, key: JOSEPrivateKey) throws -> String {
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        return signingInput + "." + Base64URL.encode(try key.jwsSignature(for: Array(signingInput.utf8)))
    }

    /// `compact` with segment `index` replaced.
    static func replacing(segment index: Int, of compact: String, with replacement: String) -> String {
        var segments = compact.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        segments[index] = replacement
        return segments.joined(separator: ".")
    }

    static func segment(_ index: Int, of compact: String) -> String {
        String(compact.split(separator: ".", omittingEmptySubsequences: false)[index])
    }
}
