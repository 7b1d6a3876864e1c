/// A trusted agent provider: the issuer of `aa-agent+jwt` tokens (DESIGN §3.4).
public struct AgentProvider: Hashable, Codable, Sendable {
    /// Where the provider's signing keys come from.
    public enum KeySource: Hashable, Codable, Sendable {
        /// A JWKS document (JSON text) pinned in configuration: no network fetch.
        case pinned(jwks: String)
        /// Fetched from `{issuer}/.well-known/aauth-agent.json` → `jwks_uri`.
        case discovery
    }

    /// The `iss` value agent tokens must carry: an https URL with no query or fragment.
    public let issuer: String
    public let keys: KeySource

    /// Validates the issuer: `https://host[:port][/path]`, host as strict as an `Origin`.
    public init(issuer: String, keys: KeySource) throws(MissionError) {
        guard issuer.hasPrefix("https://"), !issuer.contains("?"), !issuer.contains("#") else {
            throw .invalidConfiguration("issuer must be an https URL without query or fragment")
        }
        let afterScheme = issuer.dropFirst("https://".count)
        let authority = afterScheme.prefix { $0 != "/" }
        do { _ = try Origin("https://" + authority) } catch {
            throw .invalidConfiguration("issuer: \(error)")
        }
        if case .pinned(let jwks) = keys, jwks.isEmpty || jwks.utf8.count > 65_536 {
            throw .invalidConfiguration("pinned JWKS: 1…65536 bytes")
        }
        self.issuer = issuer
        self.keys = keys
    }
}
