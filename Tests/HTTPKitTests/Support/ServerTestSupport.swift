import Foundation
import Synchronization
import Testing

@testable import HTTPKit

/// Counts handler executions, so tests can prove a request was never run.
final class HitCounter: Sendable {
    private let value = Atomic<Int>(0)
    func increment() { value.add(1, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}

/// Collects access-log entries.
final class LogCollector: Sendable {
    private let entries = Mutex<[AccessLogEntry]>([])
    func append(_ entry: AccessLogEntry) { entries.withLock { $0.append(entry) } }
    var all: [AccessLogEntry] { entries.withLock { $0 } }
}

struct HandlerFailure: Error {}

/// The routes every real-socket test talks to.
func makeTestRouter(canary: HitCounter = HitCounter()) -> Router {
    var router = Router()
    router.get("/hello") { _, _ in .text("hello") }
    router.post("/echo") { request, _ in
        HTTPResponse(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: request.body)
    }
    router.get("/path/:name") { request, params in .text((params["name"] ?? "") + "|" + (request.queryParameter("q") ?? "")) }
    router.get("/slow") { request, _ in
        let millis = Int(request.queryParameter("ms") ?? "300") ?? 300
        try await Task.sleep(for: .milliseconds(millis))
        return .text("slow done")
    }
    router.get("/canary") { _, _ in
        canary.increment()
        return .text("canary")
    }
    router.get("/boom") { _, _ in throw HandlerFailure() }
    router.get("/big") { _, _ in HTTPResponse(body: [UInt8](repeating: UInt8(ascii: "b"), count: 100_000)) }
    router.get("/split") { _, _ in HTTPResponse(status: .ok, headers: ["X-Bad": "a\r\nInjected: yes"], body: []) }
    router.get("/lying-length") { _, _ in
        HTTPResponse(status: .ok, headers: ["Content-Length": "999", "Transfer-Encoding": "chunked"], body: Array("four".utf8))
    }
    router.get("/close") { _, _ in HTTPResponse(status: .ok, headers: ["Connection": "close"], body: Array("bye".utf8)) }
    return router
}

/// Starts a server on an ephemeral port, runs `body`, and always shuts the server down.
func withServer<T: Sendable>(
    configure: (inout HTTPServer.Configuration) -> Void = { _ in },
    router: Router = makeTestRouter(),
    _ body: (HTTPServer) async throws -> T
) async throws -> T {
    var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
    configuration.eventLoopCount = 2
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, responder: router)
    try server.start()
    do {
        let result = try await body(server)
        await server.shutdown(gracePeriod: .seconds(2))
        return result
    } catch {
        await server.shutdown(gracePeriod: .seconds(2))
        throw error
    }
}

func rawGET(_ path: String, extra: String = "") -> String {
    "GET \(path) HTTP/1.1\r\nHost: test\r\n\(extra)\r\n"
}
