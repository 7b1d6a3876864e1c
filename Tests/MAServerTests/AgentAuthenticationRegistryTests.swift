import Foundation
import MissionCore
import Testing

@testable import MAServer

private typealias S = AgentAuthenticationSupport

/// A fetcher serving fixed documents and counting fetches.
private final class StubFetcher: DocumentFetcher {
    private let documents = Locked([String: Result<[UInt8], EgressError>]())
    private let log = Locked([String]())

    func serve(_ url: String, _ text: String) { documents.withLock { $0[url] = .success(Array(text.utf8)) } }
    func fail(_ url: String, _ error: EgressError) { documents.withLock { $0[url] = .failure(error) } }
    var fetched: [String] { log.withLock { $0 } }

    func fetch(_ url: URL) async -> Result<[UInt8], EgressError> {
        log.withLock { $0.append(url.absoluteString) }
        return documents.withLock { $0[url.absoluteString] } ?? .failure(.httpStatus(404))
    }
}

@Suite struct AgentAuthenticationRegistryTests {
    private let metadataURL = "https://agent.example/.well-known/aauth-agent.json"
    private let jwksURL = "https://agent.example/jwks.json"

    private func registry(_ fetcher: StubFetcher, clock: ManualTimeSource) -> IssuerKeyRegistry {
        IssuerKeyRegistry(
            pinned: [:], discovered: [S.issuer], metadataDocument: "aauth-agent.json", fetcher: fetcher,
            timeSource: clock)
    }

    private func serveGood(_ fetcher: StubFetcher) {
        fetcher.serve(metadataURL, #"{"issuer":"https://agent.example","jwks_uri":"https://agent.example/jwks.json"}"#)
        fetcher.serve(jwksURL, S.apJWKS)
    }

    @Test func pinnedKeysNeedNoFetch() async throws {
        let registry = try S.providers()
        #expect(try await registry.key(issuer: S.issuer, keyID: "ap-key-1").get().keyID == "ap-key-1")
        #expect(await registry.key(issuer: S.issuer, keyID: "nope") == .failure(.unknownKey))
        #expect(await registry.key(issuer: "https://x.example", keyID: "ap-key-1") == .failure(.unknownIssuer))
    }

    @Test func discoveryFetchesMetadataThenJWKSOnce() async throws {
        let fetcher = StubFetcher()
        serveGood(fetcher)
        let registry = registry(fetcher, clock: S.clock())
        #expect(try await registry.key(issuer: S.issuer, keyID: "ap-key-1").get().keyID == "ap-key-1")
        #expect(try await registry.key(issuer: S.issuer, keyID: "ap-key-1").get().keyID == "ap-key-1")
        #expect(fetcher.fetched == [metadataURL, jwksURL])
    }

    @Test func unknownKidRefreshesOnceThenIsRateLimited() async throws {
        let fetcher = StubFetcher()
        serveGood(fetcher)
        let clock = S.clock()
        let registry = registry(fetcher, clock: clock)
        _ = try await registry.key(issuer: S.issuer, keyID: "ap-key-1").get()
        clock.advance(by: 61)
        #expect(await registry.key(issuer: S.issuer, keyID: "rotated") == .failure(.unknownKey))
        #expect(fetcher.fetched.count == 4)
        // Within the minute: no further fetch.
        #expect(await registry.key(issuer: S.issuer, keyID: "rotated") == .failure(.unknownKey))
        #expect(fetcher.fetched.count == 4)
    }

    @Test func issuerChecksAreByteExact() async throws {
        let fetcher = StubFetcher()
        fetcher.serve(metadataURL, #"{"issuer":"https://agent.example/","jwks_uri":"https://agent.example/jwks.json"}"#)
        #expect(
            await registry(fetcher, clock: S.clock()).key(issuer: S.issuer, keyID: "k") == .failure(.issuerMismatch))
        let missing = StubFetcher()
        missing.serve(metadataURL, #"{"jwks_uri":"https://agent.example/jwks.json"}"#)
        #expect(await registry(missing, clock: S.clock()).key(issuer: S.issuer, keyID: "k") == .failure(.issuerMissing))
    }

    @Test func crossOriginJWKSIsRefused() async throws {
        let fetcher = StubFetcher()
        fetcher.serve(metadataURL, #"{"issuer":"https://agent.example","jwks_uri":"https://evil.example/jwks.json"}"#)
        let result = await registry(fetcher, clock: S.clock()).key(issuer: S.issuer, keyID: "ap-key-1")
        #expect(result == .failure(.invalidDocument("jwks_uri is not on the issuer's origin")))
        #expect(fetcher.fetched == [metadataURL])
    }

    @Test func fetchFailureKeepsServingCachedKeys() async throws {
        let fetcher = StubFetcher()
        serveGood(fetcher)
        let clock = S.clock()
        let registry = registry(fetcher, clock: clock)
        _ = try await registry.key(issuer: S.issuer, keyID: "ap-key-1").get()
        fetcher.fail(metadataURL, .transport("down"))
        clock.advance(by: 3600)
        #expect(await registry.key(issuer: S.issuer, keyID: "other") == .failure(.unavailable(.transport("down"))))
        #expect(try await registry.key(issuer: S.issuer, keyID: "ap-key-1").get().keyID == "ap-key-1")
    }

    @Test func keysAreDiscardedAfterADay() async throws {
        let fetcher = StubFetcher()
        serveGood(fetcher)
        let clock = S.clock()
        let registry = registry(fetcher, clock: clock)
        _ = try await registry.key(issuer: S.issuer, keyID: "ap-key-1").get()
        fetcher.fail(metadataURL, .transport("down"))
        clock.advance(by: 86_401)
        #expect(await registry.key(issuer: S.issuer, keyID: "ap-key-1") == .failure(.unavailable(.transport("down"))))
    }

    @Test func discoveredProviderServesTheAuthenticator() async throws {
        let fetcher = StubFetcher()
        serveGood(fetcher)
        let clock = S.clock()
        let authenticator = try S.authenticator(clock: clock, providers: registry(fetcher, clock: clock))
        #expect(
            try await authenticator.authenticate(S.vectorRequest()).get().agentID == "aauth:assistant@agent.example")
    }

    @Test func discoveryIssuerMismatchReachesTheAgent() async throws {
        let fetcher = StubFetcher()
        fetcher.serve(metadataURL, #"{"issuer":"https://other.example","jwks_uri":"https://agent.example/jwks.json"}"#)
        let clock = S.clock()
        let authenticator = try S.authenticator(clock: clock, providers: registry(fetcher, clock: clock))
        #expect(await authenticator.authenticate(S.vectorRequest()).failure?.code == .issuerMismatch)
    }
}

@Suite struct AgentAuthenticationCacheTests {
    @Test func replayCacheAcceptsOnceAndForgetsAfterTheWindow() {
        let cache = ReplayCache(capacity: 1024, window: 60)
        let key = ReplayCache.key(thumbprint: "t", created: 100, signature: [1, 2, 3])
        #expect(cache.insertIfFresh(key, created: 100, now: 100))
        #expect(!cache.insertIfFresh(key, created: 100, now: 150))
        #expect(
            cache.insertIfFresh(
                ReplayCache.key(thumbprint: "t", created: 100, signature: [1, 2, 4]), created: 100, now: 150))
        // 61 s later the entry is purged (such a signature is refused as stale before reaching the cache).
        #expect(cache.insertIfFresh(key, created: 100, now: 161))
    }

    @Test func replayKeyCoversThumbprintCreatedAndSignature() {
        let base = ReplayCache.key(thumbprint: "t", created: 1, signature: [1])
        #expect(base != ReplayCache.key(thumbprint: "u", created: 1, signature: [1]))
        #expect(base != ReplayCache.key(thumbprint: "t", created: 2, signature: [1]))
        #expect(base != ReplayCache.key(thumbprint: "t", created: 1, signature: [2]))
        #expect(base == ReplayCache.key(thumbprint: "t", created: 1, signature: [1]))
    }

    @Test func replayCacheIsBoundedAndEvictsOldestCreatedFirst() {
        let cache = ReplayCache(capacity: 16 * 4, window: 600)
        for index in 0..<1000 {
            let created = Int64(index / 10)
            _ = cache.insertIfFresh(
                ReplayCache.key(thumbprint: "t", created: created, signature: withUnsafeBytes(of: index) { Array($0) }),
                created: created, now: 100)
        }
        #expect(cache.count <= 64)
        // The newest signature is still remembered.
        let newest = ReplayCache.key(thumbprint: "t", created: 99, signature: withUnsafeBytes(of: 999) { Array($0) })
        #expect(!cache.insertIfFresh(newest, created: 99, now: 100))
    }

    @Test func replayCacheUnderConcurrency() async {
        let cache = ReplayCache(capacity: 100_000, window: 60)
        let accepted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var count = 0
                    for index in 0..<500 {
                        let key = ReplayCache.key(
                            thumbprint: "t", created: 1, signature: withUnsafeBytes(of: index) { Array($0) })
                        if cache.insertIfFresh(key, created: 1, now: 1) { count += 1 }
                    }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(accepted == 500)
    }

    @Test func boundedCacheEvictsLeastRecentlyUsed() {
        let cache = BoundedCache<Int, String>(capacity: 8)
        for index in 0..<8 { cache.insert("\(index)", for: index) }
        _ = cache.value(for: 0)
        cache.insert("8", for: 8)
        #expect(cache.count == 8)
        #expect(cache.value(for: 0) == "0")
        #expect(cache.value(for: 1) == nil)
        #expect(cache.value(for: 8) == "8")
    }
}
