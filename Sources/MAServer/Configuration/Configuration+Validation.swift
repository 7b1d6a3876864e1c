import Foundation

extension Configuration {
    /// The issuer in force: the configured one, or `http://<listen>` in development mode.
    var effectiveIssuer: String {
        if let issuer { return issuer }
        let host = listen.host.contains(":") ? "[\(listen.host)]" : listen.host
        let shown = (host == "0.0.0.0" || host == "[::]") ? "127.0.0.1" : host
        return "http://\(shown):\(listen.port)"
    }

    static let supportedSigningAlgorithms = ["Ed25519", "ES256"]
    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Refuses settings that would make an unsafe or broken server; each error names its key.
    func validate() throws {
        if issuer == nil && !development {
            throw ConfigurationError.invalidValue(
                key: "issuer", reason: "required unless development mode is on (the public https URL of this MA)")
        }
        try Self.validateIssuer(effectiveIssuer, development: development)
        for (index, authority) in extraAuthorities.enumerated() where !Self.isAuthority(authority) {
            throw ConfigurationError.invalidValue(
                key: "extra_authorities[\(index)]", reason: "expected host or host:port, without scheme or path")
        }
        guard !dataDirectory.isEmpty else { throw ConfigurationError.invalidValue(key: "data_dir", reason: "empty") }
        guard Self.supportedSigningAlgorithms.contains(signing.algorithm) else {
            throw ConfigurationError.invalidValue(key: "signing.algorithm", reason: "one of Ed25519, ES256")
        }
        guard (1...3600).contains(tokens.maxLifetimeSeconds) else {
            throw ConfigurationError.invalidValue(key: "tokens.max_lifetime_seconds", reason: "between 1 and 3600")
        }
        guard (1...tokens.maxLifetimeSeconds).contains(tokens.defaultLifetimeSeconds) else {
            throw ConfigurationError.invalidValue(
                key: "tokens.default_lifetime_seconds", reason: "between 1 and tokens.max_lifetime_seconds")
        }
        guard (1...600).contains(signatures.windowSeconds) else {
            throw ConfigurationError.invalidValue(key: "signatures.window_seconds", reason: "between 1 and 600")
        }
        guard Self.logLevels.contains(log.level) else {
            throw ConfigurationError.invalidValue(key: "log.level", reason: Self.logLevels.joined(separator: ", "))
        }
        for (index, provider) in agentProviders.enumerated() {
            try Self.validateKeySource(
                key: "agent_providers[\(index)]", url: provider.issuer, jwks: provider.jwks,
                jwksFile: provider.jwksFile, discover: provider.discover, development: development)
        }
        for (index, resource) in resources.enumerated() {
            try Self.validateKeySource(
                key: "resources[\(index)]", url: resource.issuer ?? resource.origin, jwks: resource.jwks,
                jwksFile: resource.jwksFile, discover: resource.discover, development: development)
        }
        for (index, rule) in autoApproval.enumerated() where rule.agent.isEmpty || rule.maxLifetimeSeconds <= 0 {
            throw ConfigurationError.invalidValue(
                key: "auto_approval[\(index)]", reason: "agent must be non-empty and max_lifetime_seconds positive")
        }
        let positives: [(String, Int)] = [
            ("reviews.proposal_ttl_seconds", reviews.proposalTTLSeconds),
            ("reviews.access_request_ttl_seconds", reviews.accessRequestTTLSeconds),
            ("reviews.poll_interval_seconds", reviews.pollIntervalSeconds),
            ("http.max_request_line_bytes", http.maxRequestLineBytes), ("http.max_header_bytes", http.maxHeaderBytes),
            ("http.max_header_count", http.maxHeaderCount), ("http.max_body_bytes", http.maxBodyBytes),
            ("http.max_connections", http.maxConnections), ("http.header_timeout_ms", http.headerTimeoutMilliseconds),
            ("http.request_timeout_ms", http.requestTimeoutMilliseconds),
            ("http.idle_timeout_ms", http.idleTimeoutMilliseconds), ("http.write_timeout_ms", http.writeTimeoutMilliseconds),
            ("egress.timeout_ms", egress.timeoutMilliseconds), ("egress.max_document_bytes", egress.maxDocumentBytes),
        ]
        for (key, value) in positives where value <= 0 {
            throw ConfigurationError.invalidValue(key: key, reason: "must be positive")
        }
        guard (0...60).contains(reviews.maxWaitSeconds) else {
            throw ConfigurationError.invalidValue(key: "reviews.max_wait_seconds", reason: "between 0 and 60")
        }
        guard http.eventLoops >= 0 else {
            throw ConfigurationError.invalidValue(key: "http.event_loops", reason: "0 (one per core) or more")
        }
    }

    /// `host`, `host:port` or `[v6]:port` as it appears in a Host header (RFC 9110 §7.2): no scheme, path,
    /// userinfo or whitespace.
    static func isAuthority(_ text: String) -> Bool {
        guard !text.isEmpty, let components = URLComponents(string: "http://" + text), let host = components.host,
            !host.isEmpty, components.user == nil, components.path.isEmpty, components.query == nil,
            components.fragment == nil
        else { return false }
        return !text.contains(where: { $0 == " " || $0 == "/" || $0 == "@" })
    }

    /// An issuer is an origin: `https://host` with no port, path, query or fragment
    /// (wire notes A11); development mode also allows `http://` and a port.
    static func validateIssuer(_ issuer: String, development: Bool) throws {
        guard let components = URLComponents(string: issuer), let scheme = components.scheme,
            let host = components.host, !host.isEmpty
        else { throw ConfigurationError.invalidValue(key: "issuer", reason: "not an absolute URL") }
        guard components.user == nil, components.password == nil, components.query == nil,
            components.fragment == nil, components.path.isEmpty
        else {
            throw ConfigurationError.invalidValue(key: "issuer", reason: "must be an origin without path, query or userinfo")
        }
        if development {
            guard scheme == "https" || scheme == "http" else {
                throw ConfigurationError.invalidValue(key: "issuer", reason: "scheme must be http or https")
            }
        } else {
            guard scheme == "https" else {
                throw ConfigurationError.invalidValue(key: "issuer", reason: "must use https (set development to allow http)")
            }
            guard components.port == nil else {
                throw ConfigurationError.invalidValue(
                    key: "issuer", reason: "must not carry a port (set development to allow one)")
            }
        }
    }

    private static func validateKeySource(
        key: String, url: String, jwks: String?, jwksFile: String?, discover: Bool, development: Bool
    ) throws {
        let sources = [jwks != nil, jwksFile != nil, discover].filter { $0 }.count
        guard sources == 1 else {
            throw ConfigurationError.invalidValue(key: key, reason: "exactly one of jwks, jwks_file, discover")
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme, components.host != nil,
            scheme == "https" || (development && scheme == "http")
        else {
            throw ConfigurationError.invalidValue(key: key, reason: "issuer/origin must be an https URL")
        }
    }
}
