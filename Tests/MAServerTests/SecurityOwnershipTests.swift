import Foundation
import HTTPKit
@testable import MissionCore
import Testing

@testable import MAServer

/// Not-found versus not-owned: another agent's mission and a mission that does not exist answer
/// byte-identical responses, and their latencies are compared with a Welch t-test.
@Suite("Security: not found versus not owned")
struct SecurityOwnershipTests {
    /// Welch's t statistic, the Welch–Satterthwaite degrees of freedom and a two-sided p-value
    /// (normal approximation, exact enough for thousands of degrees of freedom).
    static func welch(_ a: [Double], _ b: [Double]) -> (t: Double, df: Double, p: Double) {
        func meanVariance(_ x: [Double]) -> (Double, Double) {
            let mean = x.reduce(0, +) / Double(x.count)
            let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)
            return (mean, variance)
        }
        let (ma, va) = meanVariance(a)
        let (mb, vb) = meanVariance(b)
        let sa = va / Double(a.count)
        let sb = vb / Double(b.count)
        let t = (ma - mb) / (sa + sb).squareRoot()
        let df = (sa + sb) * (sa + sb) / (sa * sa / Double(a.count - 1) + sb * sb / Double(b.count - 1))
        return (t, df, erfc(abs(t) / 2.0.squareRoot()))
    }

    @Test("Welch t-test helper: identical samples give t = 0, shifted samples a large |t|")
    func welchHelper() {
        let base = (0..<1_000).map { Double($0 % 17) }
        #expect(Self.welch(base, base).t == 0)
        #expect(abs(Self.welch(base, base.map { $0 + 3 }).t) > 10)
        #expect(Self.welch(base, base.map { $0 + 3 }).p < 1e-6)
    }

    static func comparable(_ response: HTTPResponse) -> (Int, [String], [UInt8]) {
        (
            response.status.code,
            response.headers.filter { $0.name.lowercased() != "date" }.map { "\($0.name.lowercased()): \($0.value)" },
            response.body
        )
    }

    @Test("10,000 interleaved samples of each: byte-identical 404s; the latency t-test is reported")
    func identicalAndTimed() async throws {
        let ma = try await TestMA.make {
            $0.autoApproval = [
                .init(agent: "aauth:*@agent.example", grants: [.init(resource: TestMA.flights, scopes: ["search"])])
            ]
        }
        let owner = try TestAgent.jwt(now: ma.now)
        let other = try TestAgent.jwt(now: ma.now)
        let owned = try #require(
            try json(
                try await ma.send(
                    owner, .post, "/mission", json: #"{"description":"Mine","resources":["https://flights.example"]}"#))[
                    "s256"]?.stringValue)
        let unknown = Base64URL.encode(SHA256.hash(Array("no such mission".utf8)))
        let samples = 10_000
        // Signed ahead of time so the timing covers the MA only.
        var requests: [(foreign: Bool, request: HTTPRequest)] = []
        requests.reserveCapacity(2 * samples)
        for index in 0..<(2 * samples) {
            let foreign = index.isMultiple(of: 2)
            requests.append(
                (foreign, try other.request(.get, "/mission/\(foreign ? owned : unknown)", created: ma.now)))
        }
        // Warm the caches (agent token, mission cache) outside the measurement.
        for _ in 0..<200 {
            _ = await ma.respond(try other.request(.get, "/mission/\(owned)", created: ma.now))
            _ = await ma.respond(try other.request(.get, "/mission/\(unknown)", created: ma.now))
        }
        let clock = ContinuousClock()
        var foreignTimes: [Double] = []
        var missingTimes: [Double] = []
        var reference: (Int, [String], [UInt8])?
        var differing = 0
        for (foreign, request) in requests {
            let start = clock.now
            let response = await ma.respond(request)
            let elapsed = clock.now - start
            let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
            if foreign { foreignTimes.append(nanoseconds) } else { missingTimes.append(nanoseconds) }
            let shape = Self.comparable(response)
            if let reference {
                if shape.0 != reference.0 || shape.1 != reference.1 || shape.2 != reference.2 { differing += 1 }
            } else {
                reference = shape
            }
        }
        #expect(reference?.0 == 404)
        #expect(differing == 0)
        let all = Self.welch(foreignTimes, missingTimes)
        // The same test without the slowest 1 % of each kind (scheduler noise on a shared machine).
        func trimmed(_ x: [Double]) -> [Double] { Array(x.sorted().prefix(x.count * 99 / 100)) }
        let robust = Self.welch(trimmed(foreignTimes), trimmed(missingTimes))
        func median(_ x: [Double]) -> Double { x.sorted()[x.count / 2] }
        SecuritySupport.summary(
            "ownership.timing",
            [
                "samples_each": samples, "differing_bytes": differing,
                "median_foreign_us": String(format: "%.1f", median(foreignTimes) / 1000),
                "median_missing_us": String(format: "%.1f", median(missingTimes) / 1000),
                "t": String(format: "%.3f", all.t), "df": String(format: "%.0f", all.df),
                "p": String(format: "%.4f", all.p),
                "t_trimmed": String(format: "%.3f", robust.t), "p_trimmed": String(format: "%.4f", robust.p),
            ])
        await ma.close()
    }
}
