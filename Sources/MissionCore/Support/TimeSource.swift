import Foundation

/// Where MissionCore reads the wall clock. Injected everywhere time matters (expiry, token
/// lifetimes, audit timestamps, signature windows) so that tests are deterministic.
public protocol TimeSource: Sendable {
    func now() -> Date
}

/// The real wall clock.
public struct SystemTimeSource: TimeSource {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that moves only when told to; for tests and simulations.
public final class ManualTimeSource: TimeSource, @unchecked Sendable {
    // Safe: every access to `current` happens under `lock`.
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date = Date(timeIntervalSince1970: 1_780_000_000)) { current = start }

    public func now() -> Date { lock.withLock { current } }

    public func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }

    public func set(_ date: Date) { lock.withLock { current = date } }
}
