import Foundation
import HTTPKit
import MissionCore
import Testing

@testable import MAServer

/// A small deterministic generator (SplitMix64), so a failing mutation can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Helpers shared by the security battery.
enum SecuritySupport {
    /// Prints the one summary line every battery suite ends with (`swift test` shows it).
    static func summary(_ suite: String, _ figures: KeyValuePairs<String, Any>) {
        print("[security] \(suite): " + figures.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
    }

    /// `text` with the character at a random position replaced by a different one from `alphabet`.
    static func replacingOneCharacter(
        of text: String, using generator: inout SeededGenerator,
        alphabet: [Character] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    ) -> String {
        var characters = Array(text)
        guard !characters.isEmpty else { return "x" }
        let index = Int.random(in: 0..<characters.count, using: &generator)
        var replacement = alphabet.randomElement(using: &generator) ?? "x"
        while replacement == characters[index] { replacement = alphabet.randomElement(using: &generator) ?? "y" }
        characters[index] = replacement
        return String(characters)
    }

    /// `request` with the header `name` set to `value` (or removed when `nil`), keeping the field order.
    static func replacingHeader(_ request: HTTPRequest, _ name: String, with value: String?) -> HTTPRequest {
        var pairs: [(String, String)] = []
        for field in request.headers {
            if field.name.lowercased() == name.lowercased() {
                if let value { pairs.append((field.name, value)) }
            } else {
                pairs.append((field.name, field.value))
            }
        }
        var copy = request
        copy.headers = HTTPHeaders(pairs)
        return copy
    }

    /// `request` with a new target (path and query split again).
    static func retargeted(_ request: HTTPRequest, _ target: String) -> HTTPRequest {
        HTTPRequest(
            method: request.method, target: target, headers: request.headers, body: request.body,
            remoteAddress: request.remoteAddress)
    }

    /// The whole audit trail, oldest first, read page by page.
    static func events(_ authority: MissionAuthority) throws -> [AuditEvent] {
        var events: [AuditEvent] = []
        while true {
            let page = try authority.audit(after: events.last?.sequence ?? 0, limit: 500)
            guard !page.isEmpty else { return events }
            events += page
        }
    }

    /// True when the response is a server error: the battery never accepts one.
    static func isServerError(_ response: HTTPResponse) -> Bool { response.status.code >= 500 }
}
