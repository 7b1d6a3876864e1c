import Foundation
import Testing

@testable import HTTPKit

/// Not a test: serves /hello and /echo on `HTTPKIT_BENCH_PORT` for `HTTPKIT_BENCH_SECONDS` so
/// that `wrk` can be pointed at it without adding an executable to the package. Skipped unless
/// the variable is set.
@Suite("Benchmark helper")
struct ServerBenchmarkHelper {
    static let port = ProcessInfo.processInfo.environment["HTTPKIT_BENCH_PORT"].flatMap(Int.init)

    @Test(.enabled(if: port != nil))
    func serveForBenchmark() async throws {
        var router = Router()
        router.get("/hello") { _, _ in .text("Hello, world!") }
        router.post("/echo") { request, _ in
            HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: request.body)
        }
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: Self.port ?? 0)
        configuration.eventLoopCount = Int(ProcessInfo.processInfo.environment["HTTPKIT_BENCH_LOOPS"] ?? "") ?? 0
        let server = HTTPServer(configuration: configuration, responder: router)
        try server.start()
        let seconds = Int(ProcessInfo.processInfo.environment["HTTPKIT_BENCH_SECONDS"] ?? "") ?? 30
        try await Task.sleep(for: .seconds(seconds))
        await server.shutdown(gracePeriod: .seconds(1))
    }
}
