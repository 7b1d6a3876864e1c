import Testing

@testable import HTTPKit

@Suite("Connection timeout policy (fake clock)")
struct ServerTimeoutPolicyTests {
    let timeouts = ConnectionTimeouts(headerRead: 10, request: 30, keepAlive: 60, write: 20)

    @Test(arguments: [
        (ConnectionTimeouts.Phase.idle(since: 100), UInt64?(160), ConnectionTimeouts.Expiry?(.close)),
        (.readingHead(since: 100), 110, .answerRequestTimeout),
        (.readingBody(since: 100), 130, .answerRequestTimeout),
        (.writing(since: 100), 120, .close),
        (.lingering(until: 555), 555, .close),
        (.handling, nil, nil),
    ])
    func deadlineAndExpiryPerPhase(phase: ConnectionTimeouts.Phase, deadline: UInt64?, expiry: ConnectionTimeouts.Expiry?) {
        #expect(timeouts.deadline(for: phase) == deadline)
        #expect(ConnectionTimeouts.expiry(for: phase) == expiry)
    }

    @Test
    func headDeadlineNeverExceedsTheWholeRequestDeadline() {
        let odd = ConnectionTimeouts(headerRead: 50, request: 30, keepAlive: 60, write: 20)
        #expect(odd.deadline(for: .readingHead(since: 0)) == 30)
    }

    @Test
    func tickIsAQuarterOfTheShortestTimeoutClamped() {
        let ms: UInt64 = 1_000_000
        #expect(ConnectionTimeouts(headerRead: 200 * ms, request: 300 * ms, keepAlive: 400 * ms, write: 500 * ms).tick == 50 * ms)
        #expect(ConnectionTimeouts(headerRead: 1 * ms, request: 1 * ms, keepAlive: 1 * ms, write: 1 * ms).tick == 10 * ms)
        #expect(ConnectionTimeouts(HTTPServer.Configuration()).tick == 1000 * ms)
    }

    @Test
    func lingerIsBoundedByTwoSecondsAndKeepAlive() {
        let s: UInt64 = 1_000_000_000
        #expect(ConnectionTimeouts(headerRead: s, request: s, keepAlive: 30 * s, write: s).linger == 2 * s)
        #expect(ConnectionTimeouts(headerRead: s, request: s, keepAlive: s / 2, write: s).linger == s / 2)
    }
}
