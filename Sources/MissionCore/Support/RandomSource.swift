/// Where MissionCore gets unpredictable bytes (ids, references, keys). Injected so tests can
/// make ids reproducible; production always uses `SystemRandomSource`.
public protocol RandomSource: Sendable {
    func bytes(count: Int) -> [UInt8]
    /// Bytes for an identifier (not a secret): may come from a pool drawn ahead. Defaults to `bytes`.
    func identifierBytes(count: Int) -> [UInt8]
}

extension RandomSource {
    /// An unguessable identifier: `byteCount` random bytes in unpadded base64url
    /// (16 bytes = 128 bits = 22 characters).
    public func identifier(byteCount: Int = 16) -> String {
        Base64URL.encode(identifierBytes(count: byteCount))
    }

    public func identifierBytes(count: Int) -> [UInt8] { bytes(count: count) }
}

/// OpenSSL's CSPRNG.
public struct SystemRandomSource: RandomSource {
    public init() {}
    public func bytes(count: Int) -> [UInt8] { SecureRandom.bytes(count: count) }
    /// From `RandomPool`: a token grant's `jti` without a `RAND_bytes` call of its own.
    public func identifierBytes(count: Int) -> [UInt8] { RandomPool.shared.bytes(count: count) }
}
