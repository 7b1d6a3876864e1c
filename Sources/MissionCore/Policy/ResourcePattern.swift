/// Which resources a grant covers: one exact origin, or every subdomain of a domain.
///
/// `https://*.example.com` matches `https://api.example.com` and `https://a.b.example.com`, but
/// **not** the apex `https://example.com` (grant the apex separately when it is meant): a
/// wildcard stands for at least one label, as in RFC 6125 §6.4.3 reasoning about `*.`. Scheme and
/// port must match exactly. The wildcard domain needs at least two labels (`*.com` is refused);
/// public suffixes beyond that are not modelled, so operators should not write `*.co.uk`.
public enum ResourcePattern: Hashable, Codable, Sendable, CustomStringConvertible {
    case exact(Origin)
    /// Scheme, the domain under the `*.`, and the port (`nil` = the scheme's default).
    case subdomains(scheme: String, domain: String, port: Int?)

    /// Parses `https://origin` or `https://*.domain[:port]`.
    public init(_ text: String) throws(MissionError) {
        guard let range = text.range(of: "://*.") else {
            self = .exact(try Origin(text))
            return
        }
        // Parse the rest as an origin to get the same canonicalisation and strictness.
        let origin = try Origin(String(text[..<range.lowerBound]) + "://" + String(text[range.upperBound...]))
        guard origin.host.split(separator: ".").count >= 2 else {
            throw .invalidOrigin("\(text): a wildcard needs a domain of at least two labels")
        }
        guard !origin.host.split(separator: ".").allSatisfy({ $0.allSatisfy(\.isNumber) }) else {
            throw .invalidOrigin("\(text): a wildcard cannot cover an IP address")
        }
        self = .subdomains(scheme: origin.scheme, domain: origin.host, port: origin.port)
    }

    /// Whether `origin` falls under this pattern.
    public func matches(_ origin: Origin) -> Bool {
        switch self {
        case .exact(let exact):
            return exact == origin
        case .subdomains(let scheme, let domain, let port):
            return origin.scheme == scheme && origin.port == port && origin.host.hasSuffix("." + domain)
        }
    }

    /// Whether every origin `other` matches is also matched by `self` (used to check that a
    /// requested pattern fits inside an allowed one).
    public func covers(_ other: ResourcePattern) -> Bool {
        switch (self, other) {
        case (_, .exact(let origin)):
            return matches(origin)
        case (.exact, .subdomains):
            return false
        case (
            .subdomains(let scheme, let domain, let port), .subdomains(let otherScheme, let otherDomain, let otherPort)
        ):
            return scheme == otherScheme && port == otherPort
                && (otherDomain == domain || otherDomain.hasSuffix("." + domain))
        }
    }

    public var description: String {
        switch self {
        case .exact(let origin): return origin.description
        case .subdomains(let scheme, let domain, let port):
            return "\(scheme)://*.\(domain)" + (port.map { ":\($0)" } ?? "")
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "invalid resource pattern"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
