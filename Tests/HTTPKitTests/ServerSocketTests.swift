import Foundation
import Testing

@testable import HTTPKit

@Suite("Server over real sockets")
struct ServerSocketTests {
    @Test
    func servesAndReportsItsPort() async throws {
        try await withServer { server in
            #expect(server.port > 0)
            let port = server.port
            let response = try await blocking {
                let client = try RawClient(port: port)
                try client.send(rawGET("/hello"))
                return try client.readResponse()
            }
            #expect(response.status == 200)
            #expect(response.bodyText == "hello")
            #expect(response.header("content-length") == "5")
            #expect(response.header("date")?.hasSuffix(" GMT") == true)
        }
    }

    @Test
    func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        try await withServer { server in
            let port = server.port
            let statuses = try await blocking {
                let client = try RawClient(port: port)
                var statuses: [Int] = []
                for i in 0..<5 {
                    try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\n\(i)")
                    let response = try client.readResponse()
                    statuses.append(response.status)
                    if response.bodyText != "\(i)" { throw RawClient.Failure(description: "wrong echo") }
                }
                return statuses
            }
            #expect(statuses == [200, 200, 200, 200, 200])
        }
    }

    @Test
    func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withServer { server in
            let port = server.port
            let bodies = try await blocking {
                let client = try RawClient(port: port)
                // The slow one first: its answer must still come first.
                try client.send(rawGET("/slow?ms=150") + rawGET("/path/a") + rawGET("/path/b%20c?q=x%2By"))
                return try (0..<3).map { _ in try client.readResponse().bodyText }
            }
            #expect(bodies == ["slow done", "a|", "b c|x+y"])
        }
    }

    @Test
    func expectContinueGetsInterimResponseBeforeTheBody() async throws {
        try await withServer { server in
            let port = server.port
            let (interim, final) = try await blocking {
                let client = try RawClient(port: port)
                try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
                let interim = try client.readResponse()
                try client.send("ping")
                return (interim, try client.readResponse())
            }
            #expect(interim.status == 100)
            #expect(final.status == 200)
            #expect(final.bodyText == "ping")
        }
    }

    @Test
    func expectContinueWithTooLargeBodyGets413WithoutContinue() async throws {
        try await withServer(configure: { $0.maxBodyBytes = 100 }) { server in
            let port = server.port
            let (response, closed) = try await blocking {
                let client = try RawClient(port: port)
                try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 101\r\n\r\n")
                let response = try client.readResponse()
                return (response, try client.readsEndOfStream())
            }
            #expect(response.status == 413)
            #expect(closed)
        }
    }

    @Test
    func headHasGetsHeadersWithoutBody() async throws {
        try await withServer { server in
            let port = server.port
            let (head, next) = try await blocking {
                let client = try RawClient(port: port)
                try client.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n")
                let head = try client.readResponse(headOnly: true)
                // If a body had been sent, this response would be misread.
                try client.send(rawGET("/path/after"))
                return (head, try client.readResponse())
            }
            #expect(head.status == 200)
            #expect(head.header("content-length") == "5")
            #expect(next.bodyText == "after|")
        }
    }

    @Test
    func serverOwnsFramingHeaders() async throws {
        try await withServer { server in
            let port = server.port
            let response = try await blocking {
                let client = try RawClient(port: port)
                try client.send(rawGET("/lying-length"))
                return try client.readResponse()
            }
            #expect(response.header("content-length") == "4")
            #expect(response.header("transfer-encoding") == nil)
            #expect(response.bodyText == "four")
        }
    }

    @Test
    func handlerErrorBecomesBare500() async throws {
        try await withServer { server in
            let port = server.port
            let response = try await blocking {
                let client = try RawClient(port: port)
                try client.send(rawGET("/boom"))
                return try client.readResponse()
            }
            #expect(response.status == 500)
            #expect(response.header("content-type") == "application/problem+json")
            #expect(!response.bodyText.contains("HandlerFailure"))
        }
    }

    @Test
    func responseHeaderInjectionBecomes500() async throws {
        try await withServer { server in
            let port = server.port
            let response = try await blocking {
                let client = try RawClient(port: port)
                try client.send(rawGET("/split"))
                return try client.readResponse()
            }
            #expect(response.status == 500)
            #expect(response.header("injected") == nil)
            #expect(response.header("x-bad") == nil)
        }
    }

    @Test
    func connectionCloseIsHonoured() async throws {
        try await withServer { server in
            let port = server.port
            let (fromClient, fromClientClosed, fromHandler, fromHandlerClosed) = try await blocking {
                let a = try RawClient(port: port)
                try a.send(rawGET("/hello", extra: "Connection: close\r\n"))
                let r1 = try a.readResponse()
                let c1 = try a.readsEndOfStream()
                let b = try RawClient(port: port)
                try b.send(rawGET("/close"))
                let r2 = try b.readResponse()
                return (r1, c1, r2, try b.readsEndOfStream())
            }
            #expect(fromClient.header("connection") == "close")
            #expect(fromClientClosed)
            #expect(fromHandler.header("connection") == "close")
            #expect(fromHandlerClosed)
        }
    }

    @Test
    func http10ClosesUnlessKeepAliveAsked() async throws {
        try await withServer { server in
            let port = server.port
            let (plainClosed, keptAlive) = try await blocking {
                let a = try RawClient(port: port)
                try a.send("GET /hello HTTP/1.0\r\n\r\n")
                _ = try a.readResponse()
                let plainClosed = try a.readsEndOfStream()
                let b = try RawClient(port: port)
                try b.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let first = try b.readResponse()
                try b.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let second = try b.readResponse()
                return (plainClosed, first.header("connection") == "keep-alive" && second.status == 200)
            }
            #expect(plainClosed)
            #expect(keptAlive)
        }
    }

    @Test
    func badRequestIsAnsweredAndPipelinedCanaryNeverRuns() async throws {
        let canary = HitCounter()
        try await withServer(router: makeTestRouter(canary: canary)) { server in
            let port = server.port
            let (response, closed) = try await blocking {
                let client = try RawClient(port: port)
                try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\n" + rawGET("/canary"))
                let response = try client.readResponse()
                return (response, try client.readsEndOfStream())
            }
            #expect(response.status == 400)
            #expect(response.header("connection") == "close")
            #expect(response.bodyText.contains("\"error\""))
            #expect(closed)
        }
        #expect(canary.count == 0)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: t\r\nX: a\n\r\n", 400),
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505),
        ("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("\u{0}\u{1}\u{2}garbage\r\n\r\n", 400),
    ])
    func malformedRequestsGetTheirStatusThenClose(request: String, status: Int) async throws {
        try await withServer { server in
            let port = server.port
            let (response, closed) = try await blocking {
                let client = try RawClient(port: port)
                try client.send(request)
                let response = try client.readResponse()
                return (response, try client.readsEndOfStream())
            }
            #expect(response.status == status)
            #expect(closed)
        }
    }

    @Test
    func pipelinerThatDoesNotReadIsPausedThenServedInFull() async throws {
        try await withServer { server in
            let port = server.port
            let sizes = try await blocking {
                let client = try RawClient(port: port)
                try client.send(String(repeating: rawGET("/big"), count: 30) + rawGET("/path/last"))
                usleep(200_000)  // let the server hit its output bound before we read
                var sizes = try (0..<30).map { _ in try client.readResponse().body.count }
                sizes.append(try client.readResponse().body.count)
                return sizes
            }
            #expect(sizes == Array(repeating: 100_000, count: 30) + [5])
        }
    }

    @Test
    func halfClosedClientGetsAllPipelinedAnswers() async throws {
        try await withServer { server in
            let port = server.port
            let (first, second, closed) = try await blocking {
                let client = try RawClient(port: port)
                try client.send(rawGET("/slow?ms=100") + rawGET("/path/two"))
                client.shutdownWrite()
                let first = try client.readResponse()
                let second = try client.readResponse()
                return (first, second, try client.readsEndOfStream())
            }
            #expect(first.bodyText == "slow done")
            #expect(second.bodyText == "two|")
            #expect(second.header("connection") == "close")
            #expect(closed)
        }
    }

    @Test
    func garbageNeverStopsTheServer() async throws {
        try await withServer { server in
            let port = server.port
            let ok = try await blocking {
                var generator = SystemRandomNumberGenerator()
                for _ in 0..<50 {
                    let client = try RawClient(port: port)
                    let junk = (0..<Int.random(in: 1...3000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                    try? client.send(junk)
                    client.shutdownWrite()
                    _ = try? client.readToEnd()
                }
                let client = try RawClient(port: port)
                try client.send(rawGET("/hello"))
                return try client.readResponse().status == 200
            }
            #expect(ok)
        }
    }

    @Test
    func clientsLeavingMidRequestLeakNothing() async throws {
        try await withServer { server in
            let port = server.port
            try await blocking {
                for i in 0..<100 {
                    let client = try RawClient(port: port)
                    // Half leave while the handler runs, half mid-head.
                    try client.send(i % 2 == 0 ? rawGET("/slow?ms=50") : "GET /hello HTTP/1.1\r\nHo")
                }
            }
            let probe = try await blocking {
                let client = try RawClient(port: port)
                try client.send(rawGET("/hello"))
                return try client.readResponse().status
            }
            #expect(probe == 200)
            // Every descriptor is eventually closed by its loop (answers for departed clients dropped).
            var waited = 0
            while server.openConnectionCount > 0 && waited < 500 {
                try await Task.sleep(for: .milliseconds(10))
                waited += 1
            }
            #expect(server.openConnectionCount == 0)
        }
    }

    @Test
    func chunkedRequestBodyIsDecoded() async throws {
        try await withServer { server in
            let port = server.port
            let response = try await blocking {
                let client = try RawClient(port: port)
                try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nT: 1\r\n\r\n")
                return try client.readResponse()
            }
            #expect(response.bodyText == "abcde")
        }
    }

    @Test
    func accessLogGetsOneEntryPerRequest() async throws {
        let log = LogCollector()
        try await withServer(configure: { $0.accessLog = { log.append($0) } }) { server in
            let port = server.port
            _ = try await blocking {
                let client = try RawClient(port: port)
                try client.send(rawGET("/hello") + rawGET("/nope"))
                _ = try client.readResponse()
                _ = try client.readResponse()
            }
        }
        let entries = log.all
        #expect(entries.map(\.status) == [200, 404])
        #expect(entries.map(\.path) == ["/hello", "/nope"])
        #expect(entries.first?.bytes == 5)
        #expect(Set(entries.map(\.requestID)).count == 2)
    }

    @Test
    func ipv6LoopbackWorks() async throws {
        try await withServer(configure: { $0.host = "::1" }) { server in
            let port = server.port
            let response = try await blocking {
                let client = try RawClient(port: port, host: "::1")
                try client.send(rawGET("/hello"))
                return try client.readResponse()
            }
            #expect(response.status == 200)
        }
    }

    @Test
    func twoHundredConcurrentClients() async throws {
        try await withServer { server in
            let port = server.port
            let ok = try await blocking {
                let clients = try (0..<200).map { _ in try RawClient(port: port) }
                for (i, client) in clients.enumerated() {
                    try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(String(i).utf8.count)\r\n\r\n\(i)")
                }
                var ok = 0
                for (i, client) in clients.enumerated() where try client.readResponse().bodyText == "\(i)" { ok += 1 }
                return ok
            }
            #expect(ok == 200)
        }
    }

    @Test
    func slowClientDoesNotBlockOthers() async throws {
        try await withServer(configure: { $0.eventLoopCount = 1 }) { server in
            let port = server.port
            let response = try await blocking {
                let slow = try RawClient(port: port)
                try slow.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly a little")
                let fast = try RawClient(port: port)
                try fast.send(rawGET("/hello"))
                let response = try fast.readResponse()
                withExtendedLifetime(slow) {}
                return response
            }
            #expect(response.status == 200)
        }
    }
}
