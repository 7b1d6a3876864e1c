/// A signature accepted while dated ahead of the MA's clock, remembered on disk until it would be
/// refused as stale anyway, so that a restart cannot accept it a second time (Docs/Protocol.md,
/// "Replay and restarts").
public struct ReplayMark: Hashable, Sendable {
    /// The number of bytes in `digest` (a SHA-256).
    public static let digestByteCount = 32

    /// The replay cache's key for the signature: SHA-256 over the key thumbprint, `created` and the
    /// signature bytes (never the signature itself).
    public let digest: [UInt8]
    /// The signature's `created`, Unix seconds.
    public let created: Int64
    /// Unix seconds after which the signature is refused as older than the window, so the mark can go.
    public let expires: Int64

    /// Creates a mark; `digest` must have `digestByteCount` bytes.
    public init(digest: [UInt8], created: Int64, expires: Int64) {
        precondition(digest.count == Self.digestByteCount, "a replay mark is a SHA-256 digest")
        self.digest = digest
        self.created = created
        self.expires = expires
    }
}
