import Testing

@testable import HTTPKit

/// The raw-socket battery: each case goes to a fresh in-process server, followed by a canary
/// request; the exact statuses, the close, and whether the canary ran are all checked.
@Suite("Battery: raw-socket conformance and smuggling")
struct BatteryTests {
    @Test(arguments: BatteryCatalog.all)
    func batteryCase(_ testCase: BatteryCase) async throws {
        let canary = HitCounter()
        try await withServer(configure: { $0.eventLoopCount = 1 }, router: makeTestRouter(canary: canary)) { server in
            let port = server.port
            try await blocking { try Self.run(testCase, port: port) }
        }
        let expectedHits = testCase.after == .canary ? 1 : 0
        #expect(canary.count == expectedHits, "canary hits")
    }

    private static func run(_ testCase: BatteryCase, port: Int) throws {
        let client = try RawClient(port: port)
        if let continuation = testCase.continuation {
            try client.send(testCase.bytes)
            let interim = try client.readResponse()
            #expect(interim.status == testCase.statuses.first, "interim status")
            try client.send(continuation + BatteryCase.canary)
        } else {
            try client.send(testCase.bytes + BatteryCase.canary)
        }
        var remaining = testCase.statuses
        if testCase.continuation != nil { remaining.removeFirst() }
        var last: RawClient.Response?
        for (index, status) in remaining.enumerated() {
            let response = try client.readResponse(headOnly: testCase.isHead && index == 0)
            #expect(
                response.status == status,
                "\(testCase.name): response \(index): \(response.statusLine) \(response.bodyText)")
            last = response
        }
        if let body = testCase.body, let last {
            #expect(last.bodyText == body, "\(testCase.name): content of the last response")
        }
        if testCase.isHead, let last, last.status == 200, testCase.statuses.count == 1 {
            #expect(last.header("content-length") == "5", "HEAD keeps the GET Content-Length")
        }
        switch testCase.after {
        case .canary:
            let response = try client.readResponse()
            #expect(response.status == 200 && response.bodyText == "canary", "canary answer")
        case .closed:
            if let last, last.status >= 400 {
                #expect(last.header("connection") == "close", "an error announces the close")
            }
            #expect(try client.readsEndOfStream(), "\(testCase.name): the server must close")
        case .swallowed:
            try client.send(rawGET("/hello"))
            let response = try client.readResponse()
            #expect(response.status == 200 && response.bodyText == "hello", "connection still usable")
        }
    }
}
