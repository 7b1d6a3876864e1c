import Foundation

/// Real-time limits for tests that measure a deadline. Under a sanitizer (`scripts/sanitizers` sets
/// `MA_SANITIZER`) every instruction is several times slower, so a 200 ms keep-alive timeout can pass
/// before a client that is not idle at all gets its first byte out; the tests keep their meaning
/// with every interval stretched by the same factor.
enum SanitizerTiming {
    static let factor: Int = ProcessInfo.processInfo.environment["MA_SANITIZER"] == nil ? 1 : 10

    /// `milliseconds`, stretched under a sanitizer.
    static func milliseconds(_ milliseconds: Int) -> Duration { .milliseconds(milliseconds * factor) }

    /// `microseconds` for `usleep`, stretched under a sanitizer.
    static func microseconds(_ microseconds: UInt32) -> UInt32 { microseconds * UInt32(factor) }
}
