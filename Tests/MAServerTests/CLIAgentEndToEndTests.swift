import Foundation
import MissionCore
import Testing

@testable import MAServer

/// The walkthrough as a test: a real Application on a loopback port, driven only through the CLI's commands
/// (admin key offline while it runs, then the signing agent helper and the admin helper over HTTP).
@Suite struct CLIAgentEndToEndTests {
    /// Runs `body` against a live Application in a fresh folder, always shutting it down.
    private func withLiveMA(
        pseudonymous: Bool = false, providers: [Configuration.AgentProvider] = [],
        _ body: (_ folder: String, _ url: String) async throws -> Void
    ) async throws {
        try await CLITestSupport.withTemporaryDirectory { folder in
            var configuration = Configuration()
            configuration.development = true
            configuration.dataDirectory = folder + "/data"
            configuration.agents.allowPseudonymous = pseudonymous
            configuration.agentProviders = providers
            configuration.log.accessLog = false
            // The issuer names the port, so it is chosen before the bind; another process may take it in
            // between (seen once: errno 98), and then the next free port is tried.
            var attempt = 0
            var started: Application?
            while started == nil {
                attempt += 1
                configuration.listen = .init(host: "127.0.0.1", port: try CLITestSupport.freePort())
                let candidate = try await Application.build(configuration: configuration)
                do {
                    try candidate.start()
                    started = candidate
                } catch where attempt < 5 && "\(error)".contains("bind") {
                    await candidate.shutdown()
                }
            }
            guard let application = started else { return }
            do {
                try await body(folder, "http://127.0.0.1:\(application.port)")
            } catch {
                await application.shutdown()
                throw error
            }
            await application.shutdown()
        }
    }

    @Test func proposeApprovePollTokenDenyComplete() async throws {
        try await withLiveMA { folder, url in try await walk(folder: folder, url: url) }
    }

    @Test func agentTokenFileSignsWithTheJWTScheme() async throws {
        let providerKey = try Ed25519.PrivateKey()
        let issuer = "https://agents.test"
        let jwks = #"{"keys":["# + JWK(publicKey: providerKey.publicKey, keyID: "ap-1").jsonString + "]}"
        let provider = Configuration.AgentProvider(issuer: issuer, jwks: jwks, jwksFile: nil, discover: false)
        try await withLiveMA(providers: [provider]) { folder, url in
            let key = folder + "/agent.pem"
            _ = try CLITestSupport.parse(["agent", "keygen", "--out", key], as: AgentCommand.Keygen.self).execute()
            let now = Int64(Date().timeIntervalSince1970)
            let claims: [String: MissionCore.JSONValue] = [
                "iss": .string(issuer), "dwk": "aauth-agent.json", "sub": "aauth:walker@agents.test", "jti": "t-1",
                "cnf": .object(["jwk": try AgentKey.load(path: key).publicJWK.jsonValue]),
                "iat": .integer(now - 60), "exp": .integer(now + 600),
            ]
            let token = try JWTSigner(key: .ed25519(providerKey), keyID: "ap-1").sign(
                claims: claims, type: "aa-agent+jwt")
            let tokenFile = folder + "/agent.jwt"
            try (token + "\n").write(toFile: tokenFile, atomically: true, encoding: .utf8)
            let text = folder + "/text.md"
            try "# Read the news\n".write(toFile: text, atomically: true, encoding: .utf8)

            // Neither registered nor pseudonymous: only the agent token makes this key acceptable.
            let proposed = try await CLITestSupport.parse(
                ["agent", "propose", "--key", key, "--agent-token", tokenFile, "--text", text],
                as: AgentCommand.Propose.self
            ).execute(environment: ["MA_URL": url])
            #expect(proposed.lines.first == "HTTP/1.1 202 Accepted")
            let bare = try await CLITestSupport.parse(
                ["agent", "propose", "--key", key, "--text", text], as: AgentCommand.Propose.self
            ).execute(environment: ["MA_URL": url])
            #expect(bare.lines.first == "HTTP/1.1 401 Unauthorized")
        }
    }

    @Test func clarificationAnswerAndCancel() async throws {
        try await withLiveMA(pseudonymous: true) { folder, url in
            let admin = try await CLITestSupport.parse(
                ["admin-key", "create", "--data-dir", folder + "/data", "--role", "reviewer", "--name", "rev"],
                as: AdminKeyCommand.Create.self
            ).execute(environment: [:])
            let environment = ["MA_URL": url, "MA_ADMIN_KEY": try #require(admin.lines.last)]
            let key = folder + "/agent.pem"
            _ = try CLITestSupport.parse(["agent", "keygen", "--out", key], as: AgentCommand.Keygen.self).execute()
            let text = folder + "/text.md"
            try "# Book a table\n\nFor four, near the office.\n".write(toFile: text, atomically: true, encoding: .utf8)

            let proposed = try await CLITestSupport.parse(
                ["agent", "propose", "--key", key, "--text", text, "--form", "draft"], as: AgentCommand.Propose.self
            ).execute(environment: environment)
            #expect(proposed.lines.first == "HTTP/1.1 202 Accepted")
            let pending = try #require(CLITestSupport.header("Location", in: proposed))
            let reviewID = try #require(pending.split(separator: "/").last.map(String.init))

            let asked = try await CLITestSupport.parse(
                ["admin", "post", "/reviews/\(reviewID)/clarify", #"{"question":"Which evening?"}"#],
                as: AdminCommand.self
            ).execute(environment: environment)
            #expect(asked.exitCode == 0)

            try "Thursday.".write(toFile: text, atomically: true, encoding: .utf8)
            let answered = try await CLITestSupport.parse(
                ["agent", "answer", "--key", key, pending, "--text", text], as: AgentCommand.Answer.self
            ).execute(environment: environment)
            #expect(answered.lines.first == "HTTP/1.1 202 Accepted")
            let review = try await CLITestSupport.parse(
                ["admin", "get", "/reviews/\(reviewID)"], as: AdminCommand.self
            )
            .execute(environment: environment)
            let rounds = try #require(try CLITestSupport.body(of: review)["clarifications"] as? [[String: Any]])
            #expect(rounds.first?["question"] as? String == "Which evening?")
            #expect(rounds.first?["answer"] as? String == "Thursday.")

            let cancelled = try await CLITestSupport.parse(
                ["agent", "cancel", "--key", key, url + pending], as: AgentCommand.Cancel.self
            ).execute(environment: environment)
            #expect(cancelled.lines.first == "HTTP/1.1 204 No Content")
            let after = try await CLITestSupport.parse(["admin", "get", "/reviews/\(reviewID)"], as: AdminCommand.self)
                .execute(environment: environment)
            #expect(try CLITestSupport.body(of: after)["state"] as? String == "cancelled")
        }
    }

    private func walk(folder: String, url: String) async throws {
        let data = folder + "/data"
        let key = folder + "/agent.pem"
        let admin = try await CLITestSupport.parse(
            ["admin-key", "create", "--data-dir", data, "--role", "admin", "--name", "e2e"],
            as: AdminKeyCommand.Create.self
        ).execute(environment: [:])
        let environment = ["MA_URL": url, "MA_ADMIN_KEY": try #require(admin.lines.last)]

        let keygen = try CLITestSupport.parse(["agent", "keygen", "--out", key], as: AgentCommand.Keygen.self).execute()
        let agentID = try #require(keygen.lines.first?.replacingOccurrences(of: "agent: ", with: ""))

        // An unregistered hwk key is refused (pseudonymous agents are off by default): 401, exit 1.
        let markdown = folder + "/mission.md"
        try "# Compare fares\n\nFind the three cheapest fares.\n".write(
            toFile: markdown, atomically: true, encoding: .utf8)
        let propose = [
            "agent", "propose", "--key", key, "--text", markdown, "--resource",
            "https://flights.example:search,fare.hold",
        ]
        let refused = try await CLITestSupport.parse(propose, as: AgentCommand.Propose.self).execute(
            environment: environment)
        #expect(refused.exitCode == 1)
        #expect(refused.lines.first == "HTTP/1.1 401 Unauthorized")
        #expect(CLITestSupport.header("Signature-Error", in: refused) != nil)

        let registered = try await CLITestSupport.parse(
            ["agent", "register", "--name", "fare-finder", "--key", key], as: AgentCommand.Register.self
        ).execute(environment: environment)
        #expect(registered.exitCode == 0)
        #expect(try CLITestSupport.body(of: registered)["agent_id"] as? String == agentID)

        let proposed = try await CLITestSupport.parse(propose, as: AgentCommand.Propose.self).execute(
            environment: environment)
        #expect(proposed.lines.first == "HTTP/1.1 202 Accepted")
        let pending = try #require(CLITestSupport.header("Location", in: proposed))
        let reviewID = try #require(pending.split(separator: "/").last.map(String.init))

        let approval = #"{"grants":[{"resource":"https://flights.example","scopes":["search"]}]}"#
        let approved = try await CLITestSupport.parse(
            ["admin", "post", "/reviews/\(reviewID)/approve", approval], as: AdminCommand.self
        ).execute(environment: environment)
        #expect(approved.exitCode == 0)

        let polled = try await CLITestSupport.parse(
            ["agent", "poll", "--key", key, url + pending, "--wait", "5"], as: AgentCommand.Poll.self
        ).execute(environment: environment)
        #expect(polled.lines.first == "HTTP/1.1 200 OK")
        let mission = try #require(try CLITestSupport.body(of: polled)["mission"] as? [String: Any])
        let s256 = try #require(mission["s256"] as? String)
        let approvedText = try #require(mission["approved"] as? String)
        #expect(s256 == Base64URL.encode(SHA256.hash(Array(approvedText.utf8))))

        let token = [
            "agent", "token", "--key", key, "--mission", s256, "--resource", "https://flights.example", "--scope",
        ]
        let granted = try await CLITestSupport.parse(token + ["search"], as: AgentCommand.Token.self).execute(
            environment: environment)
        #expect(granted.exitCode == 0)
        let authToken = try #require(try CLITestSupport.body(of: granted)["auth_token"] as? String)
        #expect(authToken.split(separator: ".").count == 3)

        let denied = try await CLITestSupport.parse(token + ["refund"], as: AgentCommand.Token.self).execute(
            environment: environment)
        #expect(denied.exitCode == 1)
        #expect(denied.lines.first == "HTTP/1.1 403 Forbidden")
        #expect(try CLITestSupport.body(of: denied)["error"] as? String == "denied")

        let completed = try await CLITestSupport.parse(
            ["agent", "complete", "--key", key, "--mission", s256, "--summary", "three fares found"],
            as: AgentCommand.Complete.self
        ).execute(environment: environment)
        #expect(completed.exitCode == 0)
        let shown = try await CLITestSupport.parse(
            ["agent", "mission", "--key", key, s256], as: AgentCommand.Mission.self
        )
        .execute(environment: environment)
        #expect(shown.exitCode == 0)
        #expect(shown.lines.joined().contains("completed"))

        // Everything above is in the chain, verified offline while the server still runs.
        let verified = try await CLITestSupport.parse(
            ["audit", "verify", "--data-dir", data], as: AuditCommand.Verify.self
        )
        .execute(environment: [:])
        #expect(verified.exitCode == 0)
        #expect(verified.lines.first?.hasPrefix("ok: ") == true)
    }
}
