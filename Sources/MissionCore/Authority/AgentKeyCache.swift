import Foundation

/// The enabled registered agent-key thumbprints, loaded once and dropped on every change.
/// `@unchecked Sendable`: `thumbprints` and `generation` are only touched under `lock`.
final class AgentKeyCache: @unchecked Sendable {
    private let lock = NSLock()
    private var thumbprints: Set<String>?
    /// Bumped by every invalidation, so a set loaded before a change is never stored after it
    /// (a key registered while a request was loading would otherwise stay refused).
    private var generation: UInt64 = 0

    func contains(_ thumbprint: String, loading load: () throws -> Set<String>) rethrows -> Bool {
        let (cached, loadedAt) = lock.withLock { (thumbprints, generation) }
        if let cached { return cached.contains(thumbprint) }
        let loaded = try load()
        lock.withLock { if generation == loadedAt { thumbprints = loaded } }
        return loaded.contains(thumbprint)
    }

    func invalidate() {
        lock.withLock {
            thumbprints = nil
            generation &+= 1
        }
    }
}
