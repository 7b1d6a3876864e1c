import Foundation
import HTTPKit
import MissionCore
import Testing

@testable import MAServer

@Suite("Route building blocks")
struct RoutesUnitTests {
    @Test("failure limiter: a burst of ten, then refused until a token refills; addresses are independent")
    func limiter() {
        let clock = ManualTimeSource()
        let limiter = FailureRateLimiter(capacity: 10, period: 60, time: clock)
        for _ in 0..<10 {
            #expect(limiter.retryAfter("a") == nil)
            limiter.recordFailure("a")
        }
        #expect(limiter.retryAfter("a") == 6)
        #expect(limiter.retryAfter("b") == nil)
        clock.advance(by: 3)
        #expect(limiter.retryAfter("a") == 3)
        clock.advance(by: 3)
        #expect(limiter.retryAfter("a") == nil)
    }

    @Test("failure limiter: past its address bound it forgets refilled buckets, then the fullest")
    func limiterBound() {
        let clock = ManualTimeSource()
        let limiter = FailureRateLimiter(capacity: 2, period: 60, maxAddresses: 4, time: clock)
        limiter.recordFailure("old")
        clock.advance(by: 120)
        for name in ["a", "b", "c"] {
            limiter.recordFailure(name)
            limiter.recordFailure(name)
        }
        limiter.recordFailure("d")
        limiter.recordFailure("d")
        // "old" refilled and was forgotten; the empty buckets are still refused.
        for name in ["a", "b", "c", "d"] { #expect(limiter.retryAfter(name) != nil) }
    }

    @Test(
        "bearer tokens and client addresses",
        arguments: [
            (["Bearer abc"], "abc"), (["bearer abc"], "abc"), (["BEARER  abc"], "abc"), (["Basic abc"], nil),
            (["Bearer"], nil), (["Bearer a b"], nil), (["Bearer a", "Bearer b"], nil), ([], nil),
        ] as [([String], String?)])
    func bearer(values: [String], token: String?) {
        #expect(AdminAuthenticator.bearerToken(values) == token)
    }

    @Test(
        "client address without its port",
        arguments: [
            ("203.0.113.9:4000", "203.0.113.9"), ("[2001:db8::1]:443", "2001:db8::1"), ("", ""),
            ("2001:db8::1", "2001:db8::1"),
        ])
    func clientAddress(remote: String, address: String) {
        #expect(AdminAuthenticator.clientAddress(remote) == address)
    }

    @Test("s256 path segments: exactly 43 base64url characters of 32 bytes")
    func s256() {
        let valid = Base64URL.encode(SHA256.hash(Array("x".utf8)))
        #expect(AgentRoutes.isS256(valid))
        #expect(!AgentRoutes.isS256(String(valid.dropLast())))
        #expect(!AgentRoutes.isS256(String(valid.dropLast()) + "="))
        #expect(!AgentRoutes.isS256(String(valid.dropLast()) + "+"))
        #expect(!AgentRoutes.isS256(valid + "A"))
    }

    @Test("scope strings: space-separated tokens, no empty ones")
    func scopes() throws {
        #expect(try AgentRoutes.scopes("search fare.hold") == ["search", "fare.hold"])
        for bad in ["", " ", "a  b", " a", "a "] {
            #expect(throws: RouteError.self) { try AgentRoutes.scopes(bad) }
        }
    }

    @Test(
        "JSON bodies: strict members, types and duplicates",
        arguments: [
            "", "{", "[]", "\"x\"", #"{"a":1,"a":2}"#, #"{"unknown":1}"#, #"{"a":1} x"#,
        ])
    func strictBody(body: String) {
        #expect(throws: RouteError.self) { try JSONBody(Array(body.utf8), allowed: ["a"]) }
    }

    @Test("JSON body accessors name the member that is wrong")
    func bodyAccessors() throws {
        let body = try JSONBody(
            Array(
                #"{"s":"x","n":3,"f":1.5,"list":["a",1],"grants":[{"resource":"https://a.example","scopes":["r"]}]}"#
                    .utf8),
            allowed: ["s", "n", "f", "list", "grants", "missing"])
        #expect(try body.string("s") == "x")
        #expect(try body.optionalInt("n") == 3)
        #expect(throws: RouteError.invalidRequest("f: must be an integer")) { try body.optionalInt("f") }
        #expect(throws: RouteError.invalidRequest("n: must be a string")) { try body.string("n") }
        #expect(throws: RouteError.invalidRequest("missing: required")) { try body.string("missing") }
        #expect(throws: RouteError.invalidRequest("list: must be an array of strings")) {
            try body.optionalStrings("list")
        }
        #expect(try body.optionalGrants("grants")?.first?.resource.description == "https://a.example")
        let bad = try JSONBody(Array(#"{"grants":[{"resource":"ftp://a","scopes":["r"]}]}"#.utf8), allowed: ["grants"])
        #expect(throws: RouteError.self) { try bad.optionalGrants("grants") }
    }

    @Test("query strings: only listed names, once each; limits 1…500; RFC 3339 times")
    func query() throws {
        let ok = try Query(
            HTTPRequest(method: .get, target: "/x?limit=5&since=2026-01-02T03:04:05.5Z"), allowed: ["limit", "since"])
        #expect(try ok.limit() == 5)
        #expect(try ok.date("since") == Date(timeIntervalSince1970: 1_767_323_045.5))
        #expect(throws: RouteError.self) { try Query(HTTPRequest(method: .get, target: "/x?a=1"), allowed: []) }
        #expect(throws: RouteError.self) { try Query(HTTPRequest(method: .get, target: "/x?a=1&a=2"), allowed: ["a"]) }
        #expect(throws: RouteError.self) {
            try Query(HTTPRequest(method: .get, target: "/x?limit=501"), allowed: ["limit"]).limit()
        }
    }

    @Test("metrics exposition: counters, histogram buckets cumulative, escaped labels, gauges")
    func metrics() {
        let registry = MetricsRegistry()
        registry.recordRequest(route: "/token", method: "POST", status: 200, seconds: 0.003)
        registry.recordRequest(route: "/token", method: "POST", status: 200, seconds: 0.2)
        registry.recordRequest(route: "/a\"b", method: "GET", status: 404, seconds: 100)
        registry.recordDecision("granted")
        let text = registry.render(gauges: [(name: "ma_pending_reviews", help: "Pending.", value: 7)])
        #expect(text.contains(#"ma_http_requests_total{route="/token",method="POST",status="200"} 2"#))
        #expect(text.contains(#"ma_http_request_duration_seconds_bucket{route="/token",le="0.0025"} 0"#))
        #expect(text.contains(#"ma_http_request_duration_seconds_bucket{route="/token",le="0.005"} 1"#))
        #expect(text.contains(#"ma_http_request_duration_seconds_bucket{route="/token",le="0.25"} 2"#))
        #expect(text.contains(#"ma_http_request_duration_seconds_bucket{route="/a\"b",le="60"} 0"#))
        #expect(text.contains(#"ma_http_request_duration_seconds_bucket{route="/a\"b",le="+Inf"} 1"#))
        #expect(text.contains(#"ma_http_request_duration_seconds_count{route="/token"} 2"#))
        #expect(text.contains(#"ma_decisions_total{outcome="granted"} 1"#))
        #expect(text.contains("# TYPE ma_pending_reviews gauge\nma_pending_reviews 7\n"))
    }

    @Test("drain signal: waiters wake on fire; later waits return at once; cancellation ends a wait")
    func drain() async {
        let signal = DrainSignal()
        let cancelled = Task { await signal.wait() }
        cancelled.cancel()
        await cancelled.value
        let waiting = Task { await signal.wait() }
        signal.fire()
        await waiting.value
        await signal.wait()
        #expect(signal.isFired)
    }

    @Test(
        "every AuthorityError has its status and code",
        arguments: [
            (AuthorityError.notFound, 404, "mission_not_found"), (.suspended, 403, "mission_suspended"),
            (.terminated(reason: "expired"), 403, "mission_terminated"),
            (.invalidTransition(current: "active"), 409, "invalid_transition"),
            (.denied(reason: "outside mission scope", outside: ["x"]), 403, "denied"), (.forbidden, 403, "forbidden"),
            (.invalidRequest("x"), 400, "invalid_request"), (.conflict("x"), 409, "conflict"), (.gone, 410, "gone"),
            (.slowDown(retryAfter: 5), 429, "slow_down"), (.expired, 408, "expired"),
            (.auditUnavailable, 503, "temporarily_unavailable"), (.corruptRecord("x"), 500, "server_error"),
        ] as [(AuthorityError, Int, String)])
    func mapping(error: AuthorityError, status: Int, code: String) throws {
        let response = ErrorMapping.response(for: error, subject: .mission, logger: .init(label: "test"))
        #expect(response.status.code == status)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        #expect(response.headers["Cache-Control"] == "no-store")
        #expect(response.headers["Signature-Error"] == nil)
        #expect(try json(response)["error"]?.stringValue == code)
    }
}
