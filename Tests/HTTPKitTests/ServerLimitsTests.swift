import Foundation
import Testing

@testable import HTTPKit

@Suite("Server limits and timeouts over real sockets")
struct ServerLimitsTests {
    /// Sends `request`, reads one response and whether the server then closed.
    private func exchange(_ port: Int, _ request: String) async throws -> (RawClient.Response, Bool) {
        try await blocking {
            let client = try RawClient(port: port)
            try client.send(request)
            let response = try client.readResponse()
            return (response, try client.readsEndOfStream())
        }
    }

    @Test
    func longRequestLineGets414() async throws {
        try await withServer(configure: { $0.maxRequestLineBytes = 100 }) { server in
            let (response, closed) = try await exchange(server.port, rawGET("/" + String(repeating: "a", count: 200)))
            #expect(response.status == 414)
            #expect(closed)
        }
    }

    @Test
    func largeHeaderSectionGets431() async throws {
        try await withServer(configure: { $0.maxHeaderBytes = 200 }) { server in
            let (response, closed) = try await exchange(server.port, rawGET("/hello", extra: "X: \(String(repeating: "v", count: 300))\r\n"))
            #expect(response.status == 431)
            #expect(closed)
        }
    }

    @Test
    func tooManyHeadersGets431() async throws {
        try await withServer(configure: { $0.maxHeaderCount = 10 }) { server in
            let extra = (0..<20).map { "X-\($0): v\r\n" }.joined()
            let (response, _) = try await exchange(server.port, rawGET("/hello", extra: extra))
            #expect(response.status == 431)
        }
    }

    @Test
    func largeBodyGets413BeforeItIsSent() async throws {
        try await withServer(configure: { $0.maxBodyBytes = 1000 }) { server in
            let (response, closed) = try await exchange(server.port, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n")
            #expect(response.status == 413)
            #expect(closed)
        }
    }

    @Test
    func largeChunkedBodyGets413() async throws {
        try await withServer(configure: { $0.maxBodyBytes = 1000 }) { server in
            let chunk = String(repeating: "x", count: 600)
            let (response, _) = try await exchange(
                server.port, "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n0\r\n\r\n")
            #expect(response.status == 413)
        }
    }

    @Test
    func bodyAtTheLimitIsAccepted() async throws {
        try await withServer(configure: { $0.maxBodyBytes = 1000 }) { server in
            let body = String(repeating: "y", count: 1000)
            let port = server.port
            let response = try await blocking {
                let client = try RawClient(port: port)
                try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n\(body)")
                return try client.readResponse()
            }
            #expect(response.status == 200)
            #expect(response.body.count == 1000)
        }
    }

    @Test
    func slowHeadGets408ThenClose() async throws {
        try await withServer(configure: { $0.headerReadTimeout = .milliseconds(200) }) { server in
            let port = server.port
            let (response, closed) = try await blocking {
                let client = try RawClient(port: port)
                try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n")
                let response = try client.readResponse()
                return (response, try client.readsEndOfStream())
            }
            #expect(response.status == 408)
            #expect(closed)
        }
    }

    @Test
    func tricklingBodyHitsTheRequestDeadline() async throws {
        try await withServer(configure: { $0.requestTimeout = .milliseconds(300) }) { server in
            let port = server.port
            let response = try await blocking {
                let client = try RawClient(port: port)
                try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 50\r\n\r\n")
                // One byte every 50 ms keeps each read "active" but the whole request is too slow.
                for _ in 0..<20 {
                    usleep(50_000)
                    if (try? client.send("x")) == nil { break }
                }
                return try client.readResponse()
            }
            #expect(response.status == 408)
        }
    }

    @Test
    func idleKeepAliveConnectionIsClosedSilently() async throws {
        try await withServer(configure: { $0.keepAliveTimeout = SanitizerTiming.milliseconds(200) }) { server in
            let port = server.port
            let (first, silentClose) = try await blocking {
                let client = try RawClient(port: port)
                try client.send(rawGET("/hello"))
                let first = try client.readResponse()
                return (first, try client.readsEndOfStream())
            }
            #expect(first.status == 200)
            #expect(silentClose)
        }
    }

    @Test
    func connectionCapHoldsNewClientsInTheBacklogUntilOneCloses() async throws {
        try await withServer(configure: { $0.maxConnections = 2; $0.eventLoopCount = 1 }) { server in
            let port = server.port
            let response = try await blocking {
                var first: RawClient? = try RawClient(port: port)
                let second = try RawClient(port: port)
                try first?.send(rawGET("/hello"))
                _ = try first?.readResponse()
                try second.send(rawGET("/hello"))
                _ = try second.readResponse()
                // The third connect completes in the kernel backlog; it is served once a slot frees.
                let third = try RawClient(port: port)
                try third.send(rawGET("/hello"))
                first = nil
                return try third.readResponse()
            }
            #expect(response.status == 200)
        }
    }

    /// A reader that stops reading cannot hold a response (and its descriptor) past the write
    /// deadline: 32 MiB cannot fit in the loopback socket buffers, so the write blocks, and the
    /// server must close the connection before the client has taken everything.
    @Test
    func slowReaderIsClosedAtTheWriteTimeout() async throws {
        let size = 32 << 20
        var router = makeTestRouter()
        router.get("/huge") { _, _ in HTTPResponse(body: [UInt8](repeating: UInt8(ascii: "h"), count: size)) }
        try await withServer(configure: { $0.writeTimeout = SanitizerTiming.milliseconds(300) }, router: router) {
            server in
            let port = server.port
            let (received, endedBy) = try await blocking { () -> (Int, Int32) in
                let client = try RawClient(port: port)
                try client.send(rawGET("/huge"))
                usleep(SanitizerTiming.microseconds(1_500_000))  // read nothing for five write deadlines
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                var total = 0
                while true {
                    let n = recv(client.fd, &buffer, buffer.count, 0)
                    if n > 0 { total += n; continue }
                    // 0: the server's FIN after the unsent rest was dropped; ECONNRESET: its RST.
                    return (total, n == 0 ? 0 : errno)
                }
            }
            #expect(endedBy == 0 || endedBy == ECONNRESET, "ended by errno \(endedBy), not by the server closing")
            #expect(received < size, "the whole response arrived: the write deadline never fired")
        }
    }
}
