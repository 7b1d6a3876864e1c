import Foundation
import MissionCore

/// The agent providers' (or resources') signing keys by issuer: pinned JWKS from the configuration, or discovered
/// from `{issuer}/.well-known/{document}` → `jwks_uri` (wire notes §1.8, §2.1.2).
///
/// Discovery fetches through an injected `DocumentFetcher` (egress rules live there), at most once per issuer per
/// `refreshInterval`, refreshes once on an unknown `kid`, keeps serving the last keys when a fetch fails, and
/// discards keys older than `maxAge` (24 h).
///
/// ```swift
/// let registry = IssuerKeyRegistry(pinned: ["https://agent.example": jwks], metadataDocument: "aauth-agent.json")
/// switch await registry.key(issuer: iss, keyID: kid) { … }
/// ```
public final class IssuerKeyRegistry: Sendable {
    /// Why no key was found.
    public enum LookupError: Error, Equatable, Sendable {
        /// The issuer is not configured.
        case unknownIssuer
        /// The issuer's keys hold no (single) key with that `kid`.
        case unknownKey
        /// The metadata document has no `issuer` (wire notes §2.1.2).
        case issuerMissing
        /// The metadata document's `issuer` differs from the issuer byte for byte.
        case issuerMismatch
        /// The metadata or JWKS document is not what it should be.
        case invalidDocument(String)
        /// The documents could not be fetched and no earlier copy is usable.
        case unavailable(EgressError)
    }

    /// The well-known document name (`aauth-agent.json` for agent providers, `aauth-resource.json` for resources).
    public let metadataDocument: String
    /// The options JWKS keys are parsed with: `alg` required, the `EdDSA` alias accepted (Docs/Protocol.md).
    public static let keyParsingOptions = JWK.ParsingOptions(requiresAlgorithm: true, acceptsLegacyEdDSA: true)

    private let pinned: [String: JWKSet]
    private let discovery: KeyDiscovery?
    private let discoveredIssuers: Set<String>

    /// Creates a registry. Issuers are compared byte for byte (wire notes §2.1.1: no normalization).
    public init(
        pinned: [String: JWKSet], discovered: [String] = [], metadataDocument: String,
        fetcher: (any DocumentFetcher)? = nil, timeSource: any TimeSource = SystemTimeSource(),
        refreshInterval: TimeInterval = 60, maxAge: TimeInterval = 86_400
    ) {
        self.pinned = pinned
        self.metadataDocument = metadataDocument
        discoveredIssuers = Set(discovered)
        if let fetcher, !discovered.isEmpty {
            discovery = KeyDiscovery(
                fetcher: fetcher, metadataDocument: metadataDocument, timeSource: timeSource,
                refreshInterval: refreshInterval, maxAge: maxAge)
        } else {
            discovery = nil
        }
    }

    /// Whether `issuer` is configured (pinned or discovered).
    public func knows(issuer: String) -> Bool {
        pinned[issuer] != nil || (discovery != nil && discoveredIssuers.contains(issuer))
    }

    /// The key with `keyID` of `issuer`; for a discovered issuer an unknown `kid` triggers one refresh (rate
    /// limited) before `unknownKey`.
    public func key(issuer: String, keyID: String) async -> Result<JWK, LookupError> {
        if let set = pinned[issuer] {
            guard let key = set.key(withID: keyID) else { return .failure(.unknownKey) }
            return .success(key)
        }
        guard let discovery, discoveredIssuers.contains(issuer) else { return .failure(.unknownIssuer) }
        return await discovery.key(issuer: issuer, keyID: keyID)
    }
}

extension IssuerKeyRegistry {
    /// The agent-provider registry from `agent_providers` (pinned JWKS inline or from a file, or discovery).
    static func agentProviders(
        _ configuration: Configuration, fetcher: (any DocumentFetcher)?, timeSource: any TimeSource
    ) throws -> IssuerKeyRegistry {
        var pinned: [String: JWKSet] = [:]
        var discovered: [String] = []
        for (index, provider) in configuration.agentProviders.enumerated() {
            let key = "agent_providers[\(index)]"
            if provider.discover {
                discovered.append(provider.issuer)
            } else {
                pinned[provider.issuer] = try loadJWKS(inline: provider.jwks, file: provider.jwksFile, key: key)
            }
        }
        return IssuerKeyRegistry(
            pinned: pinned, discovered: discovered, metadataDocument: "aauth-agent.json", fetcher: fetcher,
            timeSource: timeSource)
    }

    /// The resource registry from `resources`, keyed by each resource's token issuer (its origin by default).
    static func resources(
        _ configuration: Configuration, fetcher: (any DocumentFetcher)?, timeSource: any TimeSource
    ) throws -> IssuerKeyRegistry {
        var pinned: [String: JWKSet] = [:]
        var discovered: [String] = []
        for (index, resource) in configuration.resources.enumerated() {
            let issuer = resource.issuer ?? resource.origin
            if resource.discover {
                discovered.append(issuer)
            } else {
                pinned[issuer] = try loadJWKS(
                    inline: resource.jwks, file: resource.jwksFile, key: "resources[\(index)]")
            }
        }
        return IssuerKeyRegistry(
            pinned: pinned, discovered: discovered, metadataDocument: "aauth-resource.json", fetcher: fetcher,
            timeSource: timeSource)
    }

    static func loadJWKS(inline: String?, file: String?, key: String) throws -> JWKSet {
        let bytes: [UInt8]
        if let inline {
            bytes = Array(inline.utf8)
        } else if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ConfigurationError.invalidValue(key: key + ".jwks_file", reason: "cannot read \(file)")
            }
            bytes = Array(data)
        } else {
            throw ConfigurationError.invalidValue(key: key, reason: "exactly one of jwks, jwks_file, discover")
        }
        do {
            return try JWKSet(jsonData: bytes, options: keyParsingOptions)
        } catch {
            throw ConfigurationError.invalidValue(key: key + ".jwks", reason: "not a JWK Set: \(error)")
        }
    }
}

/// The discovered issuers' keys and fetch bookkeeping; an actor so concurrent lookups share one fetch.
actor KeyDiscovery {
    private struct Entry {
        var keys: JWKSet?
        var fetchedAt: Date?
        var lastAttempt: Date?
    }

    private let fetcher: any DocumentFetcher
    private let metadataDocument: String
    private let timeSource: any TimeSource
    private let refreshInterval: TimeInterval
    private let maxAge: TimeInterval
    private var entries: [String: Entry] = [:]
    private var inFlight: [String: Task<Result<JWKSet, IssuerKeyRegistry.LookupError>, Never>] = [:]

    init(
        fetcher: any DocumentFetcher, metadataDocument: String, timeSource: any TimeSource,
        refreshInterval: TimeInterval, maxAge: TimeInterval
    ) {
        self.fetcher = fetcher
        self.metadataDocument = metadataDocument
        self.timeSource = timeSource
        self.refreshInterval = refreshInterval
        self.maxAge = maxAge
    }

    func key(issuer: String, keyID: String) async -> Result<JWK, IssuerKeyRegistry.LookupError> {
        let now = timeSource.now()
        var entry = entries[issuer] ?? Entry()
        // Wire notes §1.8: discard cached keys after 24 h at most.
        if let fetchedAt = entry.fetchedAt, now.timeIntervalSince(fetchedAt) > maxAge {
            entry.keys = nil
            entry.fetchedAt = nil
            entries[issuer] = entry
        }
        if let key = entry.keys?.key(withID: keyID) { return .success(key) }
        // Unknown kid (or nothing cached): refresh, but never more than once per interval per issuer.
        if let lastAttempt = entry.lastAttempt, now.timeIntervalSince(lastAttempt) < refreshInterval,
            inFlight[issuer] == nil
        {
            return .failure(entry.keys == nil ? .unavailable(.rateLimited) : .unknownKey)
        }
        let task: Task<Result<JWKSet, IssuerKeyRegistry.LookupError>, Never>
        if let running = inFlight[issuer] {
            task = running
        } else {
            entry.lastAttempt = now
            entries[issuer] = entry
            let fetcher = fetcher
            let document = metadataDocument
            task = Task { await Self.fetchKeys(issuer: issuer, document: document, fetcher: fetcher) }
            inFlight[issuer] = task
        }
        let result = await task.value
        inFlight[issuer] = nil
        switch result {
        case .success(let keys):
            entries[issuer, default: Entry()].keys = keys
            entries[issuer, default: Entry()].fetchedAt = timeSource.now()
            guard let key = keys.key(withID: keyID) else { return .failure(.unknownKey) }
            return .success(key)
        case .failure(let error):
            // On failure keep serving the last good keys (wire notes §1.8).
            if let key = entries[issuer]?.keys?.key(withID: keyID) { return .success(key) }
            return .failure(error)
        }
    }

    /// `{issuer}/.well-known/{document}` → check `issuer` → same-origin `jwks_uri` → JWK Set.
    static func fetchKeys(issuer: String, document: String, fetcher: any DocumentFetcher) async
        -> Result<JWKSet, IssuerKeyRegistry.LookupError>
    {
        guard let metadataURL = URL(string: issuer + "/.well-known/" + document) else {
            return .failure(.invalidDocument("issuer is not a URL"))
        }
        let metadataBytes: [UInt8]
        switch await fetcher.fetch(metadataURL) {
        case .success(let bytes): metadataBytes = bytes
        case .failure(let error): return .failure(.unavailable(error))
        }
        let metadata: MissionCore.JSONValue
        do { metadata = try MissionCore.JSONValue.parse(metadataBytes) } catch {
            return .failure(.invalidDocument("metadata is not JSON"))
        }
        guard metadata.objectValue != nil else { return .failure(.invalidDocument("metadata is not an object")) }
        // Wire notes §2.1.2: `issuer` MUST equal the identity byte for byte.
        guard let documentIssuer = metadata["issuer"] else { return .failure(.issuerMissing) }
        guard documentIssuer.stringValue == issuer else { return .failure(.issuerMismatch) }
        guard let jwksText = metadata["jwks_uri"]?.stringValue, let jwksURL = URL(string: jwksText) else {
            return .failure(.invalidDocument("metadata has no jwks_uri"))
        }
        // Wire notes §1.8: a cross-origin jwks_uri needs explicit admission; we admit none.
        guard EgressPolicy.isSameOrigin(jwksURL, issuer) else {
            return .failure(.invalidDocument("jwks_uri is not on the issuer's origin"))
        }
        switch await fetcher.fetch(jwksURL) {
        case .success(let bytes):
            do {
                return .success(try JWKSet(jsonData: bytes, options: IssuerKeyRegistry.keyParsingOptions))
            } catch {
                return .failure(.invalidDocument("jwks_uri does not serve a JWK Set"))
            }
        case .failure(let error):
            return .failure(.unavailable(error))
        }
    }
}

/// The brief's name for the agent-provider registry.
public typealias AgentProviderRegistry = IssuerKeyRegistry
