import Foundation
import Testing

@testable import HTTPKit

@Suite("Server lifecycle")
struct ServerLifecycleTests {
    @Test
    func gracefulShutdownFinishesInFlightAndStopsAccepting() async throws {
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.eventLoopCount = 2
        let server = HTTPServer(configuration: configuration, responder: makeTestRouter())
        try server.start()
        let port = server.port
        let inFlight = Task {
            try await blocking {
                let client = try RawClient(port: port)
                try client.send(get("/slow?ms=400"))
                let response = try client.readResponse()
                return (response, try client.readsEndOfStream())
            }
        }
        let idleClosed = Task {
            try await blocking {
                let client = try RawClient(port: port)
                try client.send(get("/hello"))
                _ = try client.readResponse()
                return try client.readsEndOfStream()
            }
        }
        try await Task.sleep(for: .milliseconds(150))
        await server.shutdown(gracePeriod: .seconds(5))
        let (response, closedAfter) = try await inFlight.value
        #expect(response.status == 200)
        #expect(response.bodyText == "slow done")
        #expect(response.header("connection") == "close")
        #expect(closedAfter)
        #expect(try await idleClosed.value)
        let refused = try await blocking { (try? RawClient(port: port)) == nil }
        #expect(refused)
    }

    @Test
    func gracePeriodBoundsAHangingHandler() async throws {
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.eventLoopCount = 1
        let server = HTTPServer(configuration: configuration, responder: makeTestRouter())
        try server.start()
        let port = server.port
        let client = Task {
            try await blocking {
                let client = try RawClient(port: port)
                try client.send(get("/slow?ms=60000"))
                return try client.readToEnd()
            }
        }
        try await Task.sleep(for: .milliseconds(100))
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
    func invalidHostIsReported() {
        let server = HTTPServer(configuration: .init(host: "not an address", port: 0), responder: makeTestRouter())
        #expect(throws: SocketError.invalidAddress("not an address")) { try server.start() }
    }
}
