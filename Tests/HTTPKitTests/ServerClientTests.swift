import Foundation
import Testing

@testable import HTTPKit

@Suite("HTTPClient against the server")
struct ServerClientTests {
    @Test
    func keepAliveRequestsReuseTheConnection() async throws {
        let log = LogCollector()
        try await withServer(configure: { $0.accessLog = { log.append($0) } }) { server in
            let client = HTTPClient(host: "127.0.0.1", port: server.port)
            let hello = try await client.get("/hello")
            #expect(hello.status == .ok)
            #expect(String(decoding: hello.body, as: UTF8.self) == "hello")
            let echo = try await client.post("/echo", body: Array("{\"a\":1}".utf8))
            #expect(String(decoding: echo.body, as: UTF8.self) == "{\"a\":1}")
            let head = try await client.send(HTTPRequest(method: .head, target: "/hello"))
            #expect(head.body.isEmpty)
            #expect(head.headers["Content-Length"] == "5")
            await client.close()
        }
        #expect(Set(log.all.map(\.remoteAddress)).count == 1)
    }

    @Test
    func reconnectsAfterServerClosed() async throws {
        try await withServer { server in
            let client = HTTPClient(host: "127.0.0.1", port: server.port)
            let first = try await client.get("/close")
            #expect(first.headers["Connection"] == "close")
            let second = try await client.get("/hello")
            #expect(second.status == .ok)
            await client.close()
        }
    }

    @Test
    func retriesAnIdempotentRequestWhenTheIdleConnectionWasClosed() async throws {
        // Each scripted connection answers one request with keep-alive, then closes silently.
        let scripted = try ScriptedServer(responses: [
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nsec\r\n3;x=1\r\nond\r\n0\r\nT: v\r\n\r\n",
        ])
        let client = HTTPClient(host: "127.0.0.1", port: scripted.port)
        #expect(String(decoding: try await client.get("/a").body, as: UTF8.self) == "first")
        #expect(String(decoding: try await client.get("/b").body, as: UTF8.self) == "second")
        await client.close()
    }

    @Test
    func manyConcurrentClients() async throws {
        try await withServer { server in
            let port = server.port
            let ok = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<300 {
                    group.addTask {
                        let client = HTTPClient(host: "127.0.0.1", port: port)
                        defer { Task { await client.close() } }
                        var good = 0
                        for j in 0..<3 {
                            let response = try await client.post("/echo", body: Array("\(i)-\(j)".utf8))
                            if String(decoding: response.body, as: UTF8.self) == "\(i)-\(j)" { good += 1 }
                        }
                        return good
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(ok == 900)
        }
    }

    @Test
    func connectionRefusedIsATypedError() async throws {
        // Bind and release a port so nothing listens on it.
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), responder: Router())
        try server.start()
        let port = server.port
        await server.shutdown()
        let client = HTTPClient(host: "127.0.0.1", port: port)
        await #expect(throws: SocketError.system(call: "connect", errno: ECONNREFUSED)) { try await client.get("/") }
    }

    @Test
    func idleConnectionsCostNoThreads() async throws {
        try await withServer(configure: { $0.eventLoopCount = 1 }) { server in
            let port = server.port
            // 5,000 is what the test process's descriptor limit allows next to parallel suites
            // (each connection costs two descriptors here); the server side has no such bound.
            let idle = try await blocking { try (0..<5000).map { _ in try RawClient(port: port) } }
            let client = HTTPClient(host: "127.0.0.1", port: port)
            #expect(try await client.get("/hello").status == .ok)
            await client.close()
            withExtendedLifetime(idle) {}
        }
    }
}
