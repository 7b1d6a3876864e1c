import Foundation
import HTTPKit
import Logging
import MissionCore
import Testing

@testable import MAServer

/// Not a test: the server process that `scripts/faults` starts, kills with SIGKILL and restarts.
/// It runs only when `MA_FAULT_DATA` names a data directory (the script sets it), and serves the
/// very `Application.build` graph `maserver serve` builds, with the system clock, until killed.
/// (The `maserver` CLI is not wired in this branch; once it is, the script can start it instead.)
@Suite("Security: fault-injection server harness")
struct SecurityFaultServer {
    static let environment = ProcessInfo.processInfo.environment

    @Test(
        "serve until killed (scripts/faults only)",
        .enabled(if: environment["MA_FAULT_DATA"] != nil, "set MA_FAULT_DATA to run the fault harness"))
    func serve() async throws {
        let directory = try #require(Self.environment["MA_FAULT_DATA"])
        let port = Int(Self.environment["MA_FAULT_PORT"] ?? "") ?? 18_080
        var configuration = Configuration()
        configuration.development = true
        configuration.issuer = "http://127.0.0.1:\(port)"
        configuration.listen = .init(host: "127.0.0.1", port: port)
        configuration.dataDirectory = directory
        configuration.agents.allowPseudonymous = true
        configuration.autoApproval = [
            .init(agent: "urn:jkt:sha-256:*", grants: [.init(resource: TestMA.flights, scopes: ["search"])])
        ]
        configuration.http.eventLoops = 1
        configuration.log.accessLog = false
        configuration.log.level = Self.environment["MA_FAULT_LOG"] ?? "error"
        let app = try await Application.build(
            configuration: configuration, logger: Logger(label: "fault-server"))
        // The admin secret lives next to the database, created on the first start only.
        let secretPath = directory + "/admin.secret"
        if !FileManager.default.fileExists(atPath: secretPath) {
            let secret = try await app.authority.createAdminKey(name: "faults", role: .admin, by: .system).secret
            try Array(secret.utf8).withUnsafeBufferPointer {
                try Data(buffer: $0).write(to: URL(fileURLWithPath: secretPath))
            }
        }
        try app.start()
        print("READY \(app.port)")
        while true { try await Task.sleep(for: .seconds(3600)) }
    }
}
