import Foundation

/// Everything an operator can set, loaded from a JSON file and then overridden by `MA_*`
/// environment variables and command-line flags (in that order). Every member has a default,
/// so an empty file (or none) gives a working development MA on 127.0.0.1:8080.
struct Configuration: Equatable, Sendable {
    /// Address the HTTP server binds.
    var listen = ListenAddress(host: "127.0.0.1", port: 8080)
    /// The public issuer URL (`iss` of every auth token, base of metadata URLs).
    /// Defaults to `http://<listen>` in development mode.
    var issuer: String?
    /// Allows an `http://` issuer or one with a port (wire notes A11); never for production.
    var development = false
    /// Further `host[:port]` authorities agents may address this MA by (a proxy name, an internal name); the
    /// issuer's authority is always accepted, and in development also the listen address and localhost forms.
    var extraAuthorities: [String] = []
    /// Folder for the SQLite database and signing keys; created on first start.
    var dataDirectory = "./ma-data"
    var signing = Signing()
    var tokens = Tokens()
    var signatures = Signatures()
    var agents = Agents()
    var agentProviders: [AgentProvider] = []
    var resources: [Resource] = []
    var autoApproval: [AutoApprovalRule] = []
    var reviews = Reviews()
    var http = HTTPLimits()
    var egress = Egress()
    var log = Log()

    struct ListenAddress: Equatable, Sendable {
        var host: String
        var port: Int
    }

    struct Signing: Equatable, Sendable {
        /// `Ed25519` (default) or `ES256`, for newly generated keys.
        var algorithm = "Ed25519"
    }

    struct Tokens: Equatable, Sendable {
        var defaultLifetimeSeconds = 300
        var maxLifetimeSeconds = 3600
    }

    struct Signatures: Equatable, Sendable {
        /// Allowed distance between a signature's `created` and the server clock.
        var windowSeconds = 60
    }

    struct Agents: Equatable, Sendable {
        /// Accept `hwk` keys nobody registered (identity = key thumbprint).
        var allowPseudonymous = false
    }

    struct AgentProvider: Equatable, Sendable {
        var issuer: String
        /// Pinned JWKS document (inline JSON text, or read from `jwksFile`).
        var jwks: String?
        var jwksFile: String?
        /// Fetch `{issuer}/.well-known/aauth-agent.json` → `jwks_uri` instead of pinning.
        var discover = false
    }

    struct Resource: Equatable, Sendable {
        /// The resource's origin, as agents name it in token requests.
        var origin: String
        /// Issuer of the resource's `aa-resource+jwt` tokens (defaults to the origin).
        var issuer: String?
        var jwks: String?
        var jwksFile: String?
        var discover = false
    }

    struct Grant: Equatable, Sendable {
        var resource: String
        var scopes: [String]
    }

    struct AutoApprovalRule: Equatable, Sendable {
        /// Agent identifier, exact or with `*` wildcards (`aauth:*@agents.example`, `urn:jkt:sha-256:*`).
        var agent: String
        /// The largest envelope a proposal may receive without a reviewer.
        var grants: [Grant]
        var review: [Grant] = []
        var maxLifetimeSeconds = 86_400
    }

    struct Reviews: Equatable, Sendable {
        var proposalTTLSeconds = 86_400
        var accessRequestTTLSeconds = 3_600
        /// Seconds an agent is told to wait between polls (`Retry-After`).
        var pollIntervalSeconds = 5
        /// Upper bound for `Prefer: wait=N`.
        var maxWaitSeconds = 60
    }

    struct HTTPLimits: Equatable, Sendable {
        var maxRequestLineBytes = 8 * 1024
        var maxHeaderBytes = 16 * 1024
        var maxHeaderCount = 100
        var maxBodyBytes = 256 * 1024
        var maxConnections = 20_000
        var headerTimeoutMilliseconds = 10_000
        var requestTimeoutMilliseconds = 30_000
        var idleTimeoutMilliseconds = 60_000
        var writeTimeoutMilliseconds = 30_000
        var eventLoops = 0 // 0 = one per core
    }

    struct Egress: Equatable, Sendable {
        /// Let key discovery reach private, loopback and link-local addresses (tests, labs).
        var allowPrivateAddresses = false
        var timeoutMilliseconds = 5_000
        var maxDocumentBytes = 64 * 1024
    }

    struct Log: Equatable, Sendable {
        /// `trace`, `debug`, `info`, `notice`, `warning`, `error`, `critical`.
        var level = "info"
        /// Emit access-log lines.
        var accessLog = true
    }
}
