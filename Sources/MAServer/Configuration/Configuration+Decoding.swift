import Foundation

// The JSON file uses snake_case names; every object refuses unknown members.

extension Configuration: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case listen, issuer, development, extraAuthorities = "extra_authorities", dataDirectory = "data_dir", signing, tokens, signatures, agents
        case agentProviders = "agent_providers", resources, autoApproval = "auto_approval", reviews, http
        case egress, log
    }

    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(Keys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: Keys.self)
        self.init()
        if let text = try c.decodeIfPresent(String.self, forKey: .listen) {
            listen = try ListenAddress(parsing: text, key: "listen")
        }
        issuer = try c.decodeIfPresent(String.self, forKey: .issuer)
        development = try c.decodeIfPresent(Bool.self, forKey: .development) ?? development
        extraAuthorities = try c.decodeIfPresent([String].self, forKey: .extraAuthorities) ?? []
        dataDirectory = try c.decodeIfPresent(String.self, forKey: .dataDirectory) ?? dataDirectory
        signing = try c.decodeIfPresent(Signing.self, forKey: .signing) ?? signing
        tokens = try c.decodeIfPresent(Tokens.self, forKey: .tokens) ?? tokens
        signatures = try c.decodeIfPresent(Signatures.self, forKey: .signatures) ?? signatures
        agents = try c.decodeIfPresent(Agents.self, forKey: .agents) ?? agents
        agentProviders = try c.decodeIfPresent([AgentProvider].self, forKey: .agentProviders) ?? []
        resources = try c.decodeIfPresent([Resource].self, forKey: .resources) ?? []
        autoApproval = try c.decodeIfPresent([AutoApprovalRule].self, forKey: .autoApproval) ?? []
        reviews = try c.decodeIfPresent(Reviews.self, forKey: .reviews) ?? reviews
        http = try c.decodeIfPresent(HTTPLimits.self, forKey: .http) ?? http
        egress = try c.decodeIfPresent(Egress.self, forKey: .egress) ?? egress
        log = try c.decodeIfPresent(Log.self, forKey: .log) ?? log
    }
}

extension Configuration.ListenAddress {
    /// Parses `host:port`, `[v6]:port` or `:port` (all interfaces).
    init(parsing text: String, key: String) throws {
        let invalid = ConfigurationError.invalidValue(key: key, reason: "expected host:port, [ipv6]:port or :port")
        var hostPart: Substring
        var portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw invalid }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw invalid }
            portPart = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw invalid }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            if hostPart.contains(":") { throw invalid }
        }
        if hostPart.isEmpty { hostPart = "0.0.0.0" }
        guard let port = Int(portPart), (0...65_535).contains(port) else { throw invalid }
        self.init(host: String(hostPart), port: port)
    }
}

extension Configuration.Signing: Decodable {
    private enum Keys: String, CodingKey, CaseIterable { case algorithm }
    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(Keys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: Keys.self)
        self.init()
        algorithm = try c.decodeIfPresent(String.self, forKey: .algorithm) ?? algorithm
    }
}

extension Configuration.Tokens: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case defaultLifetimeSeconds = "default_lifetime_seconds", maxLifetimeSeconds = "max_lifetime_seconds"
    }
    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(Keys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: Keys.self)
        self.init()
        defaultLifetimeSeconds = try c.decodeIfPresent(Int.self, forKey: .defaultLifetimeSeconds) ?? defaultLifetimeSeconds
        maxLifetimeSeconds = try c.decodeIfPresent(Int.self, forKey: .maxLifetimeSeconds) ?? maxLifetimeSeconds
    }
}

extension Configuration.Signatures: Decodable {
    private enum Keys: String, CodingKey, CaseIterable { case windowSeconds = "window_seconds" }
    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(Keys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: Keys.self)
        self.init()
        windowSeconds = try c.decodeIfPresent(Int.self, forKey: .windowSeconds) ?? windowSeconds
    }
}

extension Configuration.Agents: Decodable {
    private enum Keys: String, CodingKey, CaseIterable { case allowPseudonymous = "allow_pseudonymous" }
    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(Keys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: Keys.self)
        self.init()
        allowPseudonymous = try c.decodeIfPresent(Bool.self, forKey: .allowPseudonymous) ?? allowPseudonymous
    }
}

extension Configuration.AgentProvider: Decodable {
    private enum Keys: String, CodingKey, CaseIterable { case issuer, jwks, jwksFile = "jwks_file", discover }
    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(Keys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: Keys.self)
        issuer = try c.decode(String.self, forKey: .issuer)
        jwks = try c.decodeJSONTextIfPresent(forKey: .jwks)
        jwksFile = try c.decodeIfPresent(String.self, forKey: .jwksFile)
        discover = try c.decodeIfPresent(Bool.self, forKey: .discover) ?? false
    }
}

extension Configuration.Resource: Decodable {
    private enum Keys: String, CodingKey, CaseIterable { case origin, issuer, jwks, jwksFile = "jwks_file", discover }
    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(Keys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: Keys.self)
        origin = try c.decode(String.self, forKey: .origin)
        issuer = try c.decodeIfPresent(String.self, forKey: .issuer)
        jwks = try c.decodeJSONTextIfPresent(forKey: .jwks)
        jwksFile = try c.decodeIfPresent(String.self, forKey: .jwksFile)
        discover = try c.decodeIfPresent(Bool.self, forKey: .discover) ?? false
    }
}

extension Configuration.Grant: Decodable {
    private enum Keys: String, CodingKey, CaseIterable { case resource, scopes }
    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(Keys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: Keys.self)
        resource = try c.decode(String.self, forKey: .resource)
        scopes = try c.decode([String].self, forKey: .scopes)
    }
}

extension Configuration.AutoApprovalRule: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case agent, grants, review, maxLifetimeSeconds = "max_lifetime_seconds"
    }
    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(Keys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: Keys.self)
        agent = try c.decode(String.self, forKey: .agent)
        grants = try c.decode([Configuration.Grant].self, forKey: .grants)
        review = try c.decodeIfPresent([Configuration.Grant].self, forKey: .review) ?? []
        maxLifetimeSeconds = try c.decodeIfPresent(Int.self, forKey: .maxLifetimeSeconds) ?? 86_400
    }
}

extension Configuration.Reviews: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case proposalTTLSeconds = "proposal_ttl_seconds", accessRequestTTLSeconds = "access_request_ttl_seconds"
        case pollIntervalSeconds = "poll_interval_seconds", maxWaitSeconds = "max_wait_seconds"
    }
    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(Keys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: Keys.self)
        self.init()
        proposalTTLSeconds = try c.decodeIfPresent(Int.self, forKey: .proposalTTLSeconds) ?? proposalTTLSeconds
        accessRequestTTLSeconds =
            try c.decodeIfPresent(Int.self, forKey: .accessRequestTTLSeconds) ?? accessRequestTTLSeconds
        pollIntervalSeconds = try c.decodeIfPresent(Int.self, forKey: .pollIntervalSeconds) ?? pollIntervalSeconds
        maxWaitSeconds = try c.decodeIfPresent(Int.self, forKey: .maxWaitSeconds) ?? maxWaitSeconds
    }
}

extension Configuration.HTTPLimits: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case maxRequestLineBytes = "max_request_line_bytes", maxHeaderBytes = "max_header_bytes"
        case maxHeaderCount = "max_header_count", maxBodyBytes = "max_body_bytes"
        case maxConnections = "max_connections", headerTimeoutMilliseconds = "header_timeout_ms"
        case requestTimeoutMilliseconds = "request_timeout_ms", idleTimeoutMilliseconds = "idle_timeout_ms"
        case writeTimeoutMilliseconds = "write_timeout_ms", eventLoops = "event_loops"
    }
    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(Keys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: Keys.self)
        self.init()
        func value(_ key: Keys, _ current: Int) throws -> Int { try c.decodeIfPresent(Int.self, forKey: key) ?? current }
        maxRequestLineBytes = try value(.maxRequestLineBytes, maxRequestLineBytes)
        maxHeaderBytes = try value(.maxHeaderBytes, maxHeaderBytes)
        maxHeaderCount = try value(.maxHeaderCount, maxHeaderCount)
        maxBodyBytes = try value(.maxBodyBytes, maxBodyBytes)
        maxConnections = try value(.maxConnections, maxConnections)
        headerTimeoutMilliseconds = try value(.headerTimeoutMilliseconds, headerTimeoutMilliseconds)
        requestTimeoutMilliseconds = try value(.requestTimeoutMilliseconds, requestTimeoutMilliseconds)
        idleTimeoutMilliseconds = try value(.idleTimeoutMilliseconds, idleTimeoutMilliseconds)
        writeTimeoutMilliseconds = try value(.writeTimeoutMilliseconds, writeTimeoutMilliseconds)
        eventLoops = try value(.eventLoops, eventLoops)
    }
}

extension Configuration.Egress: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case allowPrivateAddresses = "allow_private_addresses", timeoutMilliseconds = "timeout_ms"
        case maxDocumentBytes = "max_document_bytes"
    }
    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(Keys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: Keys.self)
        self.init()
        allowPrivateAddresses = try c.decodeIfPresent(Bool.self, forKey: .allowPrivateAddresses) ?? allowPrivateAddresses
        timeoutMilliseconds = try c.decodeIfPresent(Int.self, forKey: .timeoutMilliseconds) ?? timeoutMilliseconds
        maxDocumentBytes = try c.decodeIfPresent(Int.self, forKey: .maxDocumentBytes) ?? maxDocumentBytes
    }
}

extension Configuration.Log: Decodable {
    private enum Keys: String, CodingKey, CaseIterable { case level, accessLog = "access_log" }
    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(Keys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: Keys.self)
        self.init()
        level = try c.decodeIfPresent(String.self, forKey: .level) ?? level
        accessLog = try c.decodeIfPresent(Bool.self, forKey: .accessLog) ?? accessLog
    }
}

extension KeyedDecodingContainer {
    /// A JWKS may be written inline as a JSON object; it is kept as its JSON text so the JOSE
    /// layer parses it with its own strict rules.
    func decodeJSONTextIfPresent(forKey key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        let value = try decode(JSONValue.self, forKey: key)
        return value.jsonText
    }
}
