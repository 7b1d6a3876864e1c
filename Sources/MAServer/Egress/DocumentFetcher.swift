import Foundation

/// Fetches one small JSON document (well-known metadata, a JWKS) under the egress rules. Injected so the key
/// registries can be tested offline; production uses `URLSessionDocumentFetcher`.
public protocol DocumentFetcher: Sendable {
    /// The body of a 200 response to `GET url`, or the reason it could not be had.
    func fetch(_ url: URL) async -> Result<[UInt8], EgressError>
}
