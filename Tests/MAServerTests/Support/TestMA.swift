import Foundation
import HTTPKit
import Logging
import Testing
@testable import MissionCore

@testable import MAServer

/// A complete MA (the same `Application.build` graph as `maserver serve`) on a fresh temporary
/// data directory, with a manual clock, an admin key of each role, and helpers to build requests.
final class TestMA: Sendable {
    static let issuer = "https://ma.example"
    static let authority = "ma.example"
    static let flights = "https://flights.example"

    let app: Application
    let clock: ManualTimeSource
    let directory: String
    /// Admin secrets by role.
    let secrets: [AdminRole: String]

    private init(app: Application, clock: ManualTimeSource, directory: String, secrets: [AdminRole: String]) {
        self.app = app
        self.clock = clock
        self.directory = directory
        self.secrets = secrets
    }

    /// The test configuration: issuer `https://ma.example`, port 0, the test agent provider pinned,
    /// no access log.
    static func configuration(directory: String) -> Configuration {
        var configuration = Configuration()
        configuration.issuer = issuer
        configuration.listen = .init(host: "127.0.0.1", port: 0)
        configuration.dataDirectory = directory
        configuration.agentProviders = [.init(issuer: TestAgent.providerIssuer, jwks: TestAgent.providerJWKS)]
        configuration.http.eventLoops = 1
        configuration.log.accessLog = false
        configuration.log.level = "critical"
        return configuration
    }

    /// Builds an MA; `configure` adjusts the configuration first.
    static func make(
        directory: String? = nil, clock: ManualTimeSource = ManualTimeSource(), logger: Logger = Logger(label: "test"),
        configure: (inout Configuration) -> Void = { _ in }
    ) async throws -> TestMA {
        let directory = directory ?? NSTemporaryDirectory() + "ma-routes-" + UUID().uuidString
        var configuration = configuration(directory: directory)
        configure(&configuration)
        let app = try await Application.build(
            configuration: configuration, timeSource: clock, logger: logger)
        var secrets: [AdminRole: String] = [:]
        for role in AdminRole.allCases {
            secrets[role] = try await app.authority.createAdminKey(
                name: "test \(role.rawValue)", role: role, by: .system
            ).secret
        }
        return TestMA(app: app, clock: clock, directory: directory, secrets: secrets)
    }

    /// Runs `body` with a fresh MA, then shuts it down and removes its directory.
    static func with(
        configure: (inout Configuration) -> Void = { _ in }, _ body: (TestMA) async throws -> Void
    ) async throws {
        let ma = try await make(configure: configure)
        do {
            try await body(ma)
        } catch {
            await ma.close()
            throw error
        }
        await ma.close()
    }

    func close(removing: Bool = true) async {
        await app.shutdown(gracePeriod: .seconds(1))
        if removing { try? FileManager.default.removeItem(atPath: directory) }
    }

    var now: Date { clock.now() }

    /// Route level: the router answers without sockets.
    func respond(_ request: HTTPRequest) async -> HTTPResponse {
        await app.router.respond(to: request)
    }

    /// A signed agent request, answered by the router.
    func send(
        _ agent: TestAgent, _ method: HTTPMethod, _ target: String, json: String? = nil,
        headers: [(String, String)] = []
    ) async throws -> HTTPResponse {
        await respond(try agent.request(method, target, json: json, created: now, headers: headers))
    }

    /// An admin request with the key of `role` (or `secret`), from `remote`.
    func admin(
        _ method: HTTPMethod, _ target: String, json: String? = nil, role: AdminRole = .admin, secret: String? = nil,
        remote: String = "198.51.100.7:5000"
    ) async -> HTTPResponse {
        var headers: [(String, String)] = [("Host", Self.authority)]
        if let key = secret ?? secrets[role] { headers.append(("Authorization", "Bearer " + key)) }
        if json != nil { headers.append(("Content-Type", "application/json")) }
        return await respond(
            HTTPRequest(
                method: method, target: target, headers: HTTPHeaders(headers), body: json.map { Array($0.utf8) } ?? [],
                remoteAddress: remote))
    }

    // MARK: Flows

    /// Proposes (current form) and has an admin approve with `grants`/`review`; returns the `s256`.
    func approvedMission(
        for agent: TestAgent, grants: String = #"[{"resource":"https://flights.example","scopes":["search"]}]"#,
        review: String = "[]", expiresIn: Int? = nil
    ) async throws -> String {
        let proposed = try await send(agent, .post, "/mission", json: #"{"description":"Trip\n\nBook a flight."}"#)
        let location = try #require(proposed.headers["Location"])
        let id = String(location.dropFirst("/pending/".count))
        let expiry = expiresIn.map { #","expires_in":\#($0)"# } ?? ""
        let approved = await admin(
            .post, "/reviews/\(id)/approve", json: #"{"grants":\#(grants),"review":\#(review)\#(expiry)}"#)
        #expect(approved.status == .ok)
        let polled = try await send(agent, .get, location)
        #expect(polled.status == .ok)
        let body = try json(polled)
        return try #require(body["s256"]?.stringValue)
    }

    /// The pending id from a 202's `Location`.
    func pendingID(_ response: HTTPResponse) throws -> String {
        let location = try #require(response.headers["Location"])
        #expect(location.hasPrefix("/pending/"))
        return String(location.dropFirst("/pending/".count))
    }

    /// Advances the clock past the poll interval so the next poll is not `slow_down`.
    func waitPollInterval() { clock.advance(by: TimeInterval(app.authority.settings.pollInterval)) }
}

/// The body as MissionCore's JSON tree.
func json(_ response: HTTPResponse) throws -> MissionCore.JSONValue {
    try MissionCore.JSONValue.parse(response.body)
}

func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }
