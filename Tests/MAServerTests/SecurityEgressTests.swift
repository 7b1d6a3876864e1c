import Foundation
import HTTPKit
import Testing

@testable import MAServer

/// Key-discovery fetches with hostile URLs: a local HTTPKit server on 127.0.0.1 counts every
/// request it receives, and the fetcher under the production address rules (plain HTTP allowed so
/// the local server could be reached at all) must reach it zero times, whatever the spelling.
@Suite("Security: key discovery egress")
struct SecurityEgressTests {
    final class HitCounter: @unchecked Sendable {
        // @unchecked: `hits` is only touched under `lock`.
        private let lock = NSLock()
        private var hits = 0
        func hit() { lock.withLock { hits += 1 } }
        var count: Int { lock.withLock { hits } }
    }

    /// A document server on 127.0.0.1 whose every request is counted.
    static func withServer<T: Sendable>(_ body: (Int, HitCounter) async throws -> T) async throws -> T {
        let counter = HitCounter()
        var router = Router()
        router.get("/doc") { _, _ in
            counter.hit()
            return HTTPResponse(
                status: .ok, headers: ["Content-Type": "application/json"], body: Array(#"{"keys":[]}"#.utf8))
        }
        router.get("/big") { _, _ in
            counter.hit()
            return HTTPResponse(status: .ok, body: [UInt8](repeating: 0x20, count: 300_000))
        }
        router.get("/slow") { _, _ in
            counter.hit()
            try? await Task.sleep(for: .seconds(3))
            return HTTPResponse(status: .ok, body: Array("{}".utf8))
        }
        router.get("/to-other-host") { request, _ in
            counter.hit()
            let port = request.headers["Host"].flatMap { $0.split(separator: ":").last }.map(String.init) ?? "80"
            return HTTPResponse(status: .found, headers: ["Location": "http://localhost:\(port)/doc"])
        }
        router.get("/to-metadata") { _, _ in
            counter.hit()
            return HTTPResponse(status: .found, headers: ["Location": "http://169.254.169.254/latest/meta-data/"])
        }
        router.get("/to-https") { request, _ in
            counter.hit()
            let host = request.headers["Host"] ?? "127.0.0.1"
            return HTTPResponse(status: .movedPermanently, headers: ["Location": "https://\(host)/doc"])
        }
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.eventLoopCount = 1
        let server = HTTPServer(configuration: configuration, responder: router)
        try server.start()
        do {
            let result = try await body(server.port, counter)
            await server.shutdown(gracePeriod: .seconds(1))
            return result
        } catch {
            await server.shutdown(gracePeriod: .seconds(1))
            throw error
        }
    }

    /// Spellings of the loopback server that the production rules must refuse before connecting.
    static func loopbackSpellings(port: Int) -> [String] {
        [
            "http://127.0.0.1:\(port)/doc", "http://localhost:\(port)/doc", "http://LOCALHOST:\(port)/doc",
            "http://localhost.:\(port)/doc", "http://2130706433:\(port)/doc", "http://0x7f000001:\(port)/doc",
            "http://0177.0.0.1:\(port)/doc", "http://0x7f.0.0.1:\(port)/doc", "http://127.1:\(port)/doc",
            "http://127.000.000.001:\(port)/doc", "http://0.0.0.0:\(port)/doc", "http://0:\(port)/doc",
            "http://[::ffff:127.0.0.1]:\(port)/doc", "http://[::ffff:7f00:1]:\(port)/doc",
            "http://[0:0:0:0:0:ffff:7f00:1]:\(port)/doc", "http://[64:ff9b::7f00:1]:\(port)/doc",
            "http://[::1]:\(port)/doc", "http://[::]:\(port)/doc", "http://[::127.0.0.1]:\(port)/doc",
            "http://agent.example@127.0.0.1:\(port)/doc", "http://user:pw@localhost:\(port)/doc",
            "http://127.0.0.1:\(port)/doc#@agent.example", "http://127.0.0.1:\(port)#@agent.example/doc",
            "http://127.0.0.1%2f@agent.example:\(port)/doc", "http://127.0.0.2:\(port)/doc",
            "http://127.255.255.254:\(port)/doc",
        ]
    }

    @Test("27 spellings of the loopback server: none reached under the production address rules")
    func loopbackSpellingsNeverReached() async throws {
        try await Self.withServer { port, counter in
            let fetcher = URLSessionDocumentFetcher(policy: EgressPolicy(allowsHTTP: true, timeout: 2))
            // Control: the same fetcher with private addresses admitted does reach the server.
            let lab = URLSessionDocumentFetcher(policy: EgressPolicy(allowsPrivateAddresses: true, allowsHTTP: true))
            #expect((try? await lab.fetch(try #require(URL(string: "http://127.0.0.1:\(port)/doc"))).get()) != nil)
            #expect(counter.count == 1)
            var refusals: [String: Int] = [:]
            var cases = 0
            for spelling in Self.loopbackSpellings(port: port) {
                guard let url = URL(string: spelling) else {
                    refusals["unparsable", default: 0] += 1
                    cases += 1
                    continue
                }
                let result = await fetcher.fetch(url)
                cases += 1
                switch result {
                case .success: Issue.record("fetched \(spelling)")
                case .failure(let error): refusals["\(error)".prefix(while: { $0 != "(" }).description, default: 0] += 1
                }
            }
            #expect(counter.count == 1, "the server was reached \(counter.count - 1) times")
            #expect(cases >= 20)
            SecuritySupport.summary(
                "egress.loopback",
                ["cases": cases, "reached": counter.count - 1, "refusals": refusals.sorted { $0.key < $1.key }])
        }
    }

    @Test(
        "private, link-local, metadata, mapped and non-https targets are refused by the policy before any lookup",
        arguments: [
            "https://10.0.0.1/jwks.json", "https://172.16.5.4/jwks.json", "https://192.168.1.1/jwks.json",
            "https://100.64.0.1/jwks.json", "https://169.254.169.254/latest/meta-data/", "https://[fe80::1]/jwks.json",
            "https://[fd00::1]/jwks.json", "https://[fec0::1]/jwks.json", "https://[::ffff:169.254.169.254]/",
            "https://[::ffff:10.0.0.1]/", "https://[::ffff:a9fe:a9fe]/", "https://224.0.0.1/",
            "https://255.255.255.255/",
            "https://192.0.2.1/", "https://[2001:db8::1]/", "http://8.8.8.8/jwks.json", "ftp://agent.example/jwks.json",
            "file:///etc/passwd", "gopher://agent.example/", "https://user@agent.example/jwks.json",
            "https://agent.example/jwks.json#x", "//agent.example/jwks.json",
        ])
    func refusedByPolicy(url: String) throws {
        let policy = EgressPolicy()
        let parsed = try #require(URL(string: url))
        if case .success = policy.check(parsed) { Issue.record("admitted \(url)") }
    }

    @Test("redirects to another host, to the metadata address or to another scheme are not followed")
    func redirects() async throws {
        try await Self.withServer { port, counter in
            let fetcher = URLSessionDocumentFetcher(
                policy: EgressPolicy(allowsPrivateAddresses: true, allowsHTTP: true, timeout: 2))
            for path in ["/to-other-host", "/to-metadata", "/to-https"] {
                let result = await fetcher.fetch(try #require(URL(string: "http://127.0.0.1:\(port)\(path)")))
                if case .success = result { Issue.record("followed \(path)") }
            }
            // Each redirect was served once; its target (/doc on another name) never.
            #expect(counter.count == 3)
            SecuritySupport.summary("egress.redirects", ["cases": 3, "followed": counter.count - 3])
        }
    }

    @Test("an oversize document is refused at the cap and a slow one at the timeout")
    func sizeAndSlowness() async throws {
        try await Self.withServer { port, _ in
            let fetcher = URLSessionDocumentFetcher(
                policy: EgressPolicy(
                    allowsPrivateAddresses: true, allowsHTTP: true, maxDocumentBytes: 65_536, timeout: 10))
            let big = await fetcher.fetch(try #require(URL(string: "http://127.0.0.1:\(port)/big")))
            #expect(big.failure == .tooLarge(limit: 65_536))
            let impatient = URLSessionDocumentFetcher(
                policy: EgressPolicy(allowsPrivateAddresses: true, allowsHTTP: true, timeout: 0.5))
            let slow = await impatient.fetch(try #require(URL(string: "http://127.0.0.1:\(port)/slow")))
            if case .success = slow { Issue.record("a 3 s document was accepted with a 0.5 s timeout") }
            SecuritySupport.summary(
                "egress.size_slow", ["cases": 2, "slow": "\(slow.failure.map { "\($0)" } ?? "ok")"])
        }
    }
}
