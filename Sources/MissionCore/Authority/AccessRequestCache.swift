import Foundation

/// Validated access requests by their raw inputs, so an agent asking again for the same resource
/// and scopes skips parsing the origin and the scope tokens (the largest part of a denied
/// decision's CPU before this cache). Validation is a pure function of the inputs, so a hit
/// returns exactly what parsing would; only successes are kept, and requests with a
/// justification are not cached (free text, rarely repeated, up to 4 KiB).
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
        guard justification == nil else {
            return try AccessRequest(resource: resource, scopes: scopes, justification: justification)
        }
        let key = Key(resource: resource, scopes: scopes)
        if let cached = lock.withLock({ entries[key] }) { return cached }
        let request = try AccessRequest(resource: resource, scopes: scopes, justification: nil)
        lock.withLock {
            if entries.count >= AccessRequestCache.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = request
        }
        return request
    }
}
