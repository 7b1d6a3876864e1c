import Testing

@testable import MissionCore

@Suite("AccessRequestCache: validated requests by input")
struct AccessRequestCacheTests {
    @Test("a hit returns exactly what parsing returns, for repeated and for different inputs")
    func hitsEqualParsing() throws {
        let cache = AccessRequestCache()
        let inputs: [(String, [String])] = [
            ("https://api.example", ["read"]), ("https://api.example:8443", ["write", "read", "read"]),
            ("https://API.example", ["read"]), ("https://api.example", ["write"]),
        ]
        for _ in 0..<2 {
            for (resource, scopes) in inputs {
                let cached = try cache.request(resource: resource, scopes: scopes, justification: nil)
                #expect(cached == (try AccessRequest(resource: resource, scopes: scopes)))
            }
        }
    }

    @Test("invalid inputs are refused every time; a hit carries the caller's justification, checked every time")
    func refusalsAndJustifications() throws {
        let cache = AccessRequestCache()
        for _ in 0..<2 {
            #expect(throws: MissionError.self) {
                try cache.request(resource: "https://*.example", scopes: ["read"], justification: nil)
            }
            #expect(throws: MissionError.self) {
                try cache.request(resource: "https://api.example", scopes: ["bad scope\""], justification: nil)
            }
        }
        _ = try cache.request(resource: "https://api.example", scopes: ["read"], justification: nil)
        let justified = try cache.request(resource: "https://api.example", scopes: ["read"], justification: "why")
        #expect(justified.justification == "why")
        let long = String(repeating: "x", count: AccessRequest.maximumJustificationBytes + 1)
        #expect(throws: MissionError.self) {
            try cache.request(resource: "https://api.example", scopes: ["read"], justification: long)
        }
        // A justified miss fills the cache without its justification leaking into later hits.
        let first = try cache.request(resource: "https://other.example", scopes: ["write"], justification: "first")
        let second = try cache.request(resource: "https://other.example", scopes: ["write"], justification: "second")
        let bare = try cache.request(resource: "https://other.example", scopes: ["write"], justification: nil)
        #expect(first.justification == "first" && second.justification == "second" && bare.justification == nil)
        #expect(second == (try AccessRequest(resource: "https://other.example", scopes: ["write"], justification: "second")))
        #expect(throws: MissionError.self) {
            try cache.request(resource: "https://other.example", scopes: ["write"], justification: long)
        }
    }

    @Test("the cache starts over once full and keeps answering correctly")
    func boundedAndCorrectAfterReset() throws {
        let cache = AccessRequestCache()
        for index in 0...AccessRequestCache.capacity {
            let request = try cache.request(resource: "https://h\(index).example", scopes: ["read"], justification: nil)
            #expect(request.resource.host == "h\(index).example")
        }
        let again = try cache.request(resource: "https://h0.example", scopes: ["read"], justification: nil)
        #expect(again == (try AccessRequest(resource: "https://h0.example", scopes: ["read"])))
    }
}
