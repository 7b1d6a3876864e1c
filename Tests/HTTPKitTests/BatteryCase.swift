import Testing

/// One raw-socket battery case: bytes sent as-is, then a canary request behind them.
///
/// The battery ports the ideas of public HTTP/1.1 smuggling and conformance catalogs (CL.TE,
/// TE.CL, TE.TE obfuscations, line-ending and control-byte tricks, chunk-size tricks, version and
/// target edge cases); the cases themselves are ours. `Docs/Testing.md` explains the verdicts.
struct BatteryCase: Sendable, CustomTestStringConvertible {
    /// What must happen after the expected responses.
    enum After: Sendable {
        /// The connection stays open and the canary behind the case runs exactly once.
        case canary
        /// The server closes; the canary never runs.
        case closed
        /// The connection stays open but the canary bytes were consumed by the case (they were
        /// content, or a differently-framed request); the canary never runs.
        case swallowed
    }

    var name: String
    var bytes: [UInt8]
    /// Statuses of the responses that come before the canary's, in order (100 Continue included).
    var statuses: [Int]
    var after: After
    /// The expected content of the last response before the canary's, when it matters (echo).
    var body: String?
    /// The first response is to a HEAD request (no content follows its Content-Length).
    var isHead = false
    /// Sent after the first response (a 100 Continue) has been read, before the canary.
    var continuation: [UInt8]?

    var testDescription: String { name }

    /// Whether HTTPKit's parser must accept the request on its own (parser-level verdict).
    var parserAccepts: Bool { statuses.first.map { $0 < 400 || $0 == 404 || $0 == 405 } ?? false }
    /// The status the parser's error carries, when it must reject.
    var rejectionStatus: Int? { parserAccepts ? nil : statuses.first }

    /// The request every case is followed by; a route counts its hits.
    static let canary = Array("GET /canary HTTP/1.1\r\nHost: test\r\n\r\n".utf8)
}

extension BatteryCase {
    init(
        _ name: String, _ text: String, _ statuses: [Int], _ after: After, body: String? = nil,
        isHead: Bool = false, continuation: String? = nil
    ) {
        self.init(
            name: name, bytes: Array(text.utf8), statuses: statuses, after: after, body: body, isHead: isHead,
            continuation: continuation.map { Array($0.utf8) })
    }
}
