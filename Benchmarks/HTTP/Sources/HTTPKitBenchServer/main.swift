import BenchSupport
import HTTPKit

#if canImport(Glibc)
import Glibc
#endif

// The HTTPKit side of Benchmarks/HTTP/compare: /hello and /echo on HTTPServer + Router, configured
// as the product configures it (no access log), so wrk measures what `maserver` would pay.
let options: BenchOptions
do {
    options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    StandardError.write("httpkit-bench-server: \(error)")
    exit(64)
}

var router = Router()
router.get("/hello") { _, _ in .text("Hello, world!") }
router.post("/echo") { request, _ in
    .json(EchoReply(for: try EchoPayload.decode(request.body)))
}

var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: options.port)
if let seconds = options.idleTimeoutSeconds {
    configuration.keepAliveTimeout = .seconds(seconds)
}
if let maxConnections = options.maxConnections {
    configuration.maxConnections = maxConnections
}

let server = HTTPServer(configuration: configuration, responder: router)
do {
    try server.start()
} catch {
    StandardError.write("httpkit-bench-server: cannot start: \(error)")
    exit(1)
}
_ = await TerminationSignal.wait()
await server.shutdown(gracePeriod: .seconds(2))
