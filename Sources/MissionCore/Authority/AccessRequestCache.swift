import Foundation

/// Validated access requests by their raw resource and scopes, so an agent asking again for the
/// same resource and scopes skips parsing the origin and the scope tokens (the largest part of a
/// decision's CPU before this cache). Validation is a pure function of the inputs, so a hit
/// returns exactly what parsing would; only successes are kept. The justification (free text,
/// rarely repeated, up to 4 KiB) is not part of the key: it is checked and attached per request.
///
/// `@unchecked Sendable`: `entries` is only touched under `lock`.
final class AccessRequestCache: @unchecked Sendable {
    /// Entries kept before the cache starts over (bounds memory; a miss only costs a parse).
    static let capacity = 1_024

    private struct Key: Hashable {
        let resource: String
        let scopes: [String]
    }

    private let lock = NSLock()
    private var entries: [Key: AccessRequest] = [:]

    /// The validated request for these inputs (parsed, and kept, on a miss).
    func request(resource: String, scopes: [String], justification: String?) throws(MissionError) -> AccessRequest {
        let key = Key(resource: resource, scopes: scopes)
        if let cached = lock.withLock({ entries[key] }) { return try cached.replacingJustification(justification) }
        // Parsed with the justification, so an invalid resource or scope is reported exactly as before.
        let request = try AccessRequest(resource: resource, scopes: scopes, justification: justification)
        let general = try request.replacingJustification(nil)
        lock.withLock {
            if entries.count >= AccessRequestCache.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = general
        }
        return request
    }
}
