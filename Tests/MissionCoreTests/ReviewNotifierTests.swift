import Testing

@testable import MissionCore

@Suite("ReviewNotifier: marks and waits")
struct ReviewNotifierTests {
    @Test("a change notified between the mark and the wait is seen; other reviews are not woken")
    func changeBeforeWait() async {
        let notifier = ReviewNotifier()
        let mark = notifier.mark()
        notifier.notify("r1")
        #expect(await notifier.wait(for: "r1", after: mark, timeout: .zero))
        #expect(await notifier.wait(for: "r2", after: mark, timeout: .zero) == false)
        #expect(await notifier.wait(for: "r1", after: notifier.mark(), timeout: .zero) == false)
        #expect(notifier.waiterCount == 0)
    }

    @Test("a registered waiter is woken by its review's change, and cancellation ends a wait")
    func wakeAndCancel() async throws {
        let notifier = ReviewNotifier()
        async let woken = notifier.wait(for: "r1", after: notifier.mark(), timeout: .seconds(600))
        try await waitUntil("the waiter is registered") { notifier.waiterCount == 1 }
        notifier.notify("r2")
        #expect(notifier.waiterCount == 1)
        notifier.notify("r1")
        #expect(await woken)
        let cancelled = Task { await notifier.wait(for: "r3", after: notifier.mark(), timeout: .seconds(600)) }
        try await waitUntil("the second waiter is registered") { notifier.waiterCount == 1 }
        cancelled.cancel()
        #expect(await cancelled.value == false)
        #expect(notifier.waiterCount == 0)
    }

    @Test("once old changes are forgotten, an old mark wakes at once rather than missing one")
    func forgottenChangesWakeEarly() async {
        let notifier = ReviewNotifier()
        let old = notifier.mark()
        notifier.notify("r1")
        for index in 0..<ReviewNotifier.rememberedChanges { notifier.notify("other-\(index)") }
        // r1's change was forgotten: the old mark must still report it (or a possible one).
        #expect(await notifier.wait(for: "r1", after: old, timeout: .zero))
        #expect(await notifier.wait(for: "never-changed", after: notifier.mark(), timeout: .zero) == false)
    }
}
