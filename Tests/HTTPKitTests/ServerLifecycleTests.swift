import Foundation
import Testing

@testable import HTTPKit

@Suite("Server lifecycle")
struct ServerLifecycleTests {
    @Test
    func gracefulShutdownFinishesInFlightAndStopsAccepting() async throws {
        let started = HitCounter()
        // The handler finishes only when the test says so: after the loops have taken the shutdown
        // message (a fixed sleep made the test depend on how fast a loaded machine scheduled it).
        let (gate, opener) = AsyncStream<Void>.makeStream()
        var router = makeTestRouter()
        router.get("/gate") { _, _ in
            started.increment()
            for await _ in gate { break }
            return .text("slow done")
        }
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.eventLoopCount = 2
        let server = HTTPServer(configuration: configuration, responder: router)
        try server.start()
        let port = server.port
        // A keep-alive connection that has finished its request: idle at shutdown.
        let idle = try await blocking {
            let client = try RawClient(port: port)
            try client.send(rawGET("/hello"))
            _ = try client.readResponse()
            return client
        }
        let inFlight = Task {
            try await blocking {
                let client = try RawClient(port: port)
                try client.send(rawGET("/gate"))
                let response = try client.readResponse()
                return (response, try client.readsEndOfStream())
            }
        }
        while started.count == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let stopping = Task { await server.shutdown(gracePeriod: .seconds(5)) }
        // The idle connection is closed by the shutdown: the loops have begun it (the message went to
        // every loop before `shutdown` first awaited, so the handler's loop has it queued too).
        #expect(try await blocking { try idle.readsEndOfStream() })
        opener.yield()
        opener.finish()
        let (response, closedAfter) = try await inFlight.value
        await stopping.value
        #expect(response.status == 200)
        #expect(response.bodyText == "slow done")
        // Completed after the shutdown began: it must close the connection, even when the loop
        // drains the shutdown message and this completion together (a defect once).
        #expect(response.header("connection") == "close")
        #expect(closedAfter)
        let refused = try await blocking { (try? RawClient(port: port)) == nil }
        #expect(refused)
    }

    @Test
    func gracePeriodBoundsAHangingHandler() async throws {
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.eventLoopCount = 1
        let started = HitCounter()
        var router = makeTestRouter()
        router.get("/hang") { _, _ in
            started.increment()
            try await Task.sleep(for: .seconds(60))
            return .text("too late")
        }
        let server = HTTPServer(configuration: configuration, responder: router)
        try server.start()
        let port = server.port
        let client = Task {
            try await blocking {
                let client = try RawClient(port: port)
                try client.send(rawGET("/hang"))
                return try client.readToEnd()
            }
        }
        while started.count == 0 { try await Task.sleep(for: .milliseconds(10)) }
        await server.shutdown(gracePeriod: .milliseconds(200))
        #expect(try await client.value.isEmpty)
    }

    @Test
    func startTwiceFails() async throws {
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.eventLoopCount = 1
        let server = HTTPServer(configuration: configuration, responder: makeTestRouter())
        try server.start()
        #expect(throws: SocketError.alreadyStarted) { try server.start() }
        await server.shutdown()
        #expect(throws: SocketError.alreadyStarted) { try server.start() }
    }

    @Test
    func outOfRangeConfigurationIsReported() {
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.keepAliveTimeout = .zero
        let server = HTTPServer(configuration: configuration, responder: makeTestRouter())
        #expect(throws: SocketError.invalidConfiguration("timeouts must be positive")) { try server.start() }
    }

    @Test
    func invalidHostIsReported() {
        let server = HTTPServer(configuration: .init(host: "not an address", port: 0), responder: makeTestRouter())
        #expect(throws: SocketError.invalidAddress("not an address")) { try server.start() }
    }
}
