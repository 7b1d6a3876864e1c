import Foundation

/// The enabled registered agent-key thumbprints, loaded once and dropped on every change.
/// `@unchecked Sendable`: `thumbprints` is only touched under `lock`.
final class AgentKeyCache: @unchecked Sendable {
    private let lock = NSLock()
    private var thumbprints: Set<String>?

    func contains(_ thumbprint: String, loading load: () throws -> Set<String>) rethrows -> Bool {
        if let cached = lock.withLock({ thumbprints }) { return cached.contains(thumbprint) }
        let loaded = try load()
        lock.withLock { thumbprints = loaded }
        return loaded.contains(thumbprint)
    }

    func invalidate() { lock.withLock { thumbprints = nil } }
}
