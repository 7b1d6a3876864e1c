import Foundation
import MissionCore

/// A clock frozen inside the vector token's validity window.
private struct FixedTime: TimeSource {
    func now() -> Date { Date(timeIntervalSince1970: 1_730_218_000) }
}

/// The AP key of /work/shared/vectors (Ed25519), so mutated vector tokens reach the signature check.
private let verificationKey: JWK? = try? JWK(
    jsonData: Array(
        #"{"kty":"OKP","crv":"Ed25519","x":"PUAXw-hDiVqStwqnTRt-vJyYLM8uxJaMwM1V8Sr0Zgw","alg":"Ed25519"}"#.utf8))

/// libFuzzer entry: JWS and JWT decode, then verify with a fixed key and validator.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let key = verificationKey else { preconditionFailure("the fixed key must parse") }
    if let jws = try? JWS.decodeUnverified(text) { _ = try? jws.verify(with: key) }
    if let jwt = try? JWT.decodeUnverified(text) {
        let validator = JWTValidator(timeSource: FixedTime(), expectedType: "aa-agent+jwt")
        _ = try? jwt.verify(with: key, validator: validator)
        _ = try? jwt.unverifiedClaims.subject
    }
    return 0
}
