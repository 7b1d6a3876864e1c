#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import HTTPKit

@Suite("Termination signal helper")
struct ServerSignalTests {
    @Test
    func waitReturnsTheSignalThatArrived() async throws {
        // SIGUSR2 stands in for SIGTERM so the test process is never at risk; ignored up front so
        // an early raise is harmless, and raised until the waiter has seen it.
        signal(SIGUSR2, SIG_IGN)
        let seen = HitCounter()
        let waiter = Task {
            let number = await TerminationSignal.wait(for: [SIGUSR2])
            seen.increment()
            return number
        }
        while seen.count == 0 {
            kill(getpid(), SIGUSR2)
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await waiter.value == SIGUSR2)
    }
}
