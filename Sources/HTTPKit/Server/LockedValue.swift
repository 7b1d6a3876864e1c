import Foundation

/// A value shared between threads, read and written only inside `withLock`.
///
/// Backed by `NSLock` (a pthread mutex) rather than `Synchronization.Mutex`: ThreadSanitizer models
/// pthread mutexes, while on this toolchain it reports accesses inside `Mutex.withLock` as races
/// (Docs/Testing.md, "Sanitizers"), and a sanitizer run must end with zero reports to mean anything.
///
/// `@unchecked Sendable`: `value` is only touched under `lock`.
final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<T, E: Error>(_ body: (inout Value) throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
