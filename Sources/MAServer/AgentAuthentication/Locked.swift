import Foundation

/// A value guarded by a lock, for the small shared caches of agent authentication.
///
/// `@unchecked Sendable` is sound because `value` is only reached inside `withLock`, under `lock`.
/// (`Synchronization.Mutex` would do, but the package still declares macOS 14, where it is unavailable.)
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access; keep it short and never `await` inside.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
