/// Why an outbound fetch (key discovery) was refused or failed.
public enum EgressError: Error, Equatable, Sendable {
    /// The URL is not an absolute `https` URL with a host, or carries userinfo or a fragment.
    case invalidURL(String)
    /// The host resolved to an address egress may not reach (private, loopback, link-local, …).
    case forbiddenAddress(String)
    /// The host name did not resolve.
    case resolutionFailed(String)
    /// A redirect pointed to another host (or away from https).
    case crossHostRedirect(String)
    /// The document exceeds the size cap (bytes).
    case tooLarge(limit: Int)
    /// The server answered with a non-200 status.
    case httpStatus(Int)
    /// The fetch timed out or the transport failed.
    case transport(String)
    /// At most one fetch per issuer per interval; the last one was too recent.
    case rateLimited
}
