import Foundation

/// The rules for outbound fetches of key documents (wire notes §1.8; [SK] §Scheme-Specific Risks): https only, no
/// userinfo or fragment, every resolved address a public unicast one unless configured otherwise, no redirect to
/// another host, a size cap and a timeout. Pure, so every rule is unit-tested; `URLSessionDocumentFetcher` applies it.
public struct EgressPolicy: Equatable, Sendable {
    /// Let fetches reach private, loopback, link-local and other non-public addresses (tests, labs).
    public var allowsPrivateAddresses: Bool
    /// Allow `http://` URLs (development only).
    public var allowsHTTP: Bool
    /// The largest document accepted, in bytes.
    public var maxDocumentBytes: Int
    /// The whole fetch's time limit, in seconds.
    public var timeout: TimeInterval

    /// Creates a policy; the defaults are the production rules.
    public init(
        allowsPrivateAddresses: Bool = false, allowsHTTP: Bool = false, maxDocumentBytes: Int = 64 * 1024,
        timeout: TimeInterval = 5
    ) {
        self.allowsPrivateAddresses = allowsPrivateAddresses
        self.allowsHTTP = allowsHTTP
        self.maxDocumentBytes = maxDocumentBytes
        self.timeout = timeout
    }

    /// Checks the URL itself; when its host is an IP literal, the address too.
    public func check(_ url: URL) -> Result<Void, EgressError> {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
            let scheme = components.scheme?.lowercased(), let host = components.host, !host.isEmpty
        else { return .failure(.invalidURL("not an absolute URL with a host")) }
        guard scheme == "https" || (allowsHTTP && scheme == "http") else {
            return .failure(.invalidURL("scheme \(scheme) is not allowed"))
        }
        guard components.user == nil, components.password == nil else {
            return .failure(.invalidURL("userinfo is not allowed"))
        }
        guard components.fragment == nil else { return .failure(.invalidURL("a fragment is not allowed")) }
        let literal = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if let address = IPAddress(literal) { return admit([address]) }
        return .success(())
    }

    /// Admits the addresses a host resolved to: all must be allowed (one forbidden answer among public ones is how
    /// DNS rebinding is attempted), and there must be at least one.
    public func admit(_ addresses: [IPAddress]) -> Result<Void, EgressError> {
        guard !addresses.isEmpty else { return .failure(.resolutionFailed("no addresses")) }
        if allowsPrivateAddresses { return .success(()) }
        for address in addresses where address.classification != .publicUnicast {
            return .failure(.forbiddenAddress("\(address) is \(address.classification.rawValue)"))
        }
        return .success(())
    }

    /// A redirect is followed only to the same host over the same scheme (wire notes §1.8: no redirects to another
    /// host; a downgrade to http would lose the https guarantee).
    public func allowsRedirect(from original: URL, to target: URL) -> Bool {
        guard let from = original.host?.lowercased(), let to = target.host?.lowercased(),
            let fromScheme = original.scheme?.lowercased(), let toScheme = target.scheme?.lowercased()
        else { return false }
        return from == to && fromScheme == toScheme && original.port == target.port
    }

    /// Whether `url` is on the origin of `issuer` (scheme, host and port equal; host case-insensitive).
    public static func isSameOrigin(_ url: URL, _ issuer: String) -> Bool {
        guard let issuerURL = URL(string: issuer), let host = url.host?.lowercased(),
            let issuerHost = issuerURL.host?.lowercased()
        else { return false }
        return host == issuerHost && url.scheme?.lowercased() == issuerURL.scheme?.lowercased()
            && url.port == issuerURL.port
    }
}
