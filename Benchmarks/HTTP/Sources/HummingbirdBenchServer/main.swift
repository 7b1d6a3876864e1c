import BenchSupport
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

// The Hummingbird 2 side of Benchmarks/HTTP/compare: the same two routes doing the same work
// (one JSONDecoder and one JSONEncoder per /echo), with its defaults otherwise and no logging.
let options: BenchOptions
do {
    options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    StandardError.write("hummingbird-bench-server: \(error)")
    exit(64)
}

let router = Router()
router.get("/hello") { _, _ in "Hello, world!" }
router.post("/echo") { request, _ -> Response in
    let body = try await request.body.collect(upTo: 1024 * 1024)
    let reply = EchoReply(for: try EchoPayload.decode(body.readableBytesView))
    let encoded = try EchoReply.makeEncoder().encode(reply)
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: encoded)))
}

var logger = Logger(label: "hummingbird-bench-server")
logger.logLevel = .error
var availableConnections: (any AvailableConnectionsDelegate)?
if let maxConnections = options.maxConnections {
    availableConnections = MaximumAvailableConnections(maxConnections)
}
let app = Application(
    router: router,
    server: .http1(configuration: .init(idleTimeout: options.idleTimeoutSeconds.map { .seconds(Int64($0)) })),
    configuration: .init(
        address: .hostname("127.0.0.1", port: options.port),
        availableConnectionsDelegate: availableConnections
    ),
    logger: logger
)
try await app.runService()
