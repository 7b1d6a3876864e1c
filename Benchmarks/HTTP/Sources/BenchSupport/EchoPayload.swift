import Foundation

/// The JSON document that `POST /echo` decodes on both servers (Benchmarks/HTTP/echo-payload.json).
///
/// Its shape mimics a small authorization request: a few strings and an array of objects, so the
/// decoder does the kind of work the product's routes do.
public struct EchoPayload: Codable, Sendable {
    /// One requested item.
    public struct Item: Codable, Sendable {
        /// The item's number.
        public var id: Int
        /// The resource the item names.
        public var resource: String
        /// The actions asked for on the resource.
        public var actions: [String]
    }

    /// The mission the request belongs to.
    public var mission: String
    /// The requesting agent.
    public var agent: String
    /// Whether a person must approve.
    public var interactive: Bool
    /// The requested items.
    public var items: [Item]

    /// Decodes a payload with a fresh `JSONDecoder`, as a route handler would.
    public static func decode(_ bytes: some Sequence<UInt8>) throws -> EchoPayload {
        try JSONDecoder().decode(EchoPayload.self, from: Data(bytes))
    }
}

/// The reply to `POST /echo`: `{"n":<items>,"ok":true}`.
public struct EchoReply: Codable, Sendable {
    /// The number of items decoded.
    public var n: Int
    /// Always true.
    public var ok: Bool

    /// The reply for `payload`.
    public init(for payload: EchoPayload) {
        n = payload.items.count
        ok = true
    }

    /// The encoder both servers use for the reply: the options of `HTTPResponse.defaultEncoder()`.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
