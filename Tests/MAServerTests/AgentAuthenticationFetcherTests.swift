import Foundation
import HTTPKit
import Testing

@testable import MAServer

/// `URLSessionDocumentFetcher` against a local HTTPKit server over plain HTTP (the development policy), so its
/// status, size-cap and redirect handling run for real; the production HTTPS path needs a network and is not
/// tested here.
@Suite struct AgentAuthenticationFetcherTests {
    private func withDocumentServer<T: Sendable>(_ body: (Int) async throws -> T) async throws -> T {
        var router = Router()
        router.get("/doc") { _, _ in
            HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: Array(#"{"a":1}"#.utf8))
        }
        router.get("/big") { _, _ in HTTPResponse(status: .ok, body: [UInt8](repeating: 0x20, count: 5000)) }
        router.get("/same-host") { _, _ in HTTPResponse(status: .found, headers: ["Location": "/doc"]) }
        router.get("/other-host") { request, _ in
            // The same server under another name: a cross-host redirect.
            let port = request.headers["Host"].flatMap { $0.split(separator: ":").last }.map(String.init) ?? "80"
            return HTTPResponse(status: .found, headers: ["Location": "http://localhost:\(port)/doc"])
        }
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.eventLoopCount = 1
        let server = HTTPServer(configuration: configuration, responder: router)
        try server.start()
        do {
            let result = try await body(server.port)
            await server.shutdown(gracePeriod: .seconds(2))
            return result
        } catch {
            await server.shutdown(gracePeriod: .seconds(2))
            throw error
        }
    }

    private let development = EgressPolicy(allowsPrivateAddresses: true, allowsHTTP: true, maxDocumentBytes: 1024)

    @Test func fetchesADocument() async throws {
        try await withDocumentServer { port in
            let fetcher = URLSessionDocumentFetcher(policy: development)
            let body = try await fetcher.fetch(try #require(URL(string: "http://127.0.0.1:\(port)/doc"))).get()
            #expect(body == Array(#"{"a":1}"#.utf8))
        }
    }

    @Test func refusesStatusesOtherThan200() async throws {
        try await withDocumentServer { port in
            let fetcher = URLSessionDocumentFetcher(policy: development)
            let result = await fetcher.fetch(try #require(URL(string: "http://127.0.0.1:\(port)/missing")))
            #expect(result.failure == .httpStatus(404))
        }
    }

    @Test func refusesDocumentsOverTheCap() async throws {
        try await withDocumentServer { port in
            let fetcher = URLSessionDocumentFetcher(policy: development)
            let result = await fetcher.fetch(try #require(URL(string: "http://127.0.0.1:\(port)/big")))
            #expect(result.failure == .tooLarge(limit: 1024))
        }
    }

    @Test func followsRedirectsOnTheSameHostOnly() async throws {
        try await withDocumentServer { port in
            let fetcher = URLSessionDocumentFetcher(policy: development)
            let same = await fetcher.fetch(try #require(URL(string: "http://127.0.0.1:\(port)/same-host")))
            #expect((try? same.get()) == Array(#"{"a":1}"#.utf8))
            let other = await fetcher.fetch(try #require(URL(string: "http://127.0.0.1:\(port)/other-host")))
            #expect(other.failure == .crossHostRedirect("localhost"))
        }
    }

    @Test func refusesLoopbackUnderTheProductionAddressRules() async throws {
        try await withDocumentServer { port in
            let fetcher = URLSessionDocumentFetcher(policy: EgressPolicy(allowsHTTP: true))
            let literal = await fetcher.fetch(try #require(URL(string: "http://127.0.0.1:\(port)/doc")))
            #expect(literal.failure == .forbiddenAddress("127.0.0.1 is loopback"))
            // A name is resolved first, and every address it resolves to must be public.
            let named = await fetcher.fetch(try #require(URL(string: "http://localhost:\(port)/doc")))
            if case .forbiddenAddress = named.failure {} else { Issue.record("localhost was not refused: \(named)") }
        }
    }
}
