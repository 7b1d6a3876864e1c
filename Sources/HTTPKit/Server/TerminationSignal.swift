#if canImport(Glibc)
import Glibc
#endif
import CSystemShims
import Dispatch

/// Waits for SIGTERM or SIGINT so `main` can drain the server and exit 0.
///
/// ```swift
/// try server.start()
/// let signal = await TerminationSignal.wait()
/// await server.shutdown(gracePeriod: .seconds(10))
/// ```
public enum TerminationSignal {
    /// Suspends until one of `signals` arrives (default SIGTERM, SIGINT); returns its number.
    ///
    /// The signals' default action (terminating the process) is disabled for the duration of the
    /// process, so a second signal during the drain does not cut it short.
    public static func wait(for signals: [Int32] = [SIGTERM, SIGINT]) async -> Int32 {
        let box = SignalSources()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            box.install(signals) { number in continuation.resume(returning: number) }
        }
    }
}

/// Owns the dispatch sources until the first signal; resumes its waiter exactly once.
private final class SignalSources: @unchecked Sendable {
    // @unchecked: `sources` and `fired` are only touched on `queue`.
    private let queue = DispatchQueue(label: "HTTPKit.TerminationSignal")
    private var sources: [DispatchSourceSignal] = []
    private var fired = false

    func install(_ signals: [Int32], onSignal: @escaping @Sendable (Int32) -> Void) {
        queue.sync {
            for number in signals {
                // DispatchSource only observes; the default disposition must be ignored first.
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { [self] in
                    guard !fired else { return }
                    fired = true
                    for source in sources { source.cancel() }
                    sources = []
                    onSignal(number)
                }
                source.resume()
                sources.append(source)
            }
        }
    }
}
