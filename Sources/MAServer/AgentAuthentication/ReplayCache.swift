import MissionCore

/// Remembers accepted signatures for the validity window so each is accepted once (wire notes §1.3).
///
/// The key is SHA-256 over the signing key's thumbprint, `created` and the signature bytes (Docs/Interop.md §6:
/// without the signature bytes, two different requests signed in the same second by one key would collide; with
/// them, a byte-identical resend, which deterministic Ed25519 produces for identical requests, is a replay).
/// In memory, split into shards with one lock each; each shard is bounded and evicts by `created` time, oldest
/// first. Entries leave once `created` is older than the window, since such a signature is refused as stale anyway.
final class ReplayCache: Sendable {
    /// SHA-256 over the thumbprint, a NUL, `created` (8 bytes, big-endian) and the signature bytes.
    static func key(thumbprint: String, created: Int64, signature: [UInt8]) -> Digest256 {
        var hasher = SHA256.Hasher()
        hasher.update(thumbprint.utf8)
        withUnsafeBytes(of: UInt8(0)) { hasher.update($0) }
        withUnsafeBytes(of: created.bigEndian) { hasher.update($0) }
        hasher.update(signature)
        return Digest256(finalizing: hasher)
    }

    private struct Shard {
        var entries: Set<Digest256> = []
        /// Keys by `created` second, to expire and evict oldest first.
        var byCreated: [Int64: [Digest256]] = [:]
        var lastPurge: Int64 = .min
    }

    private static let shardCount = 16
    private let shards: [Locked<Shard>]
    private let window: Int64
    private let capacityPerShard: Int

    /// `capacity` bounds the total number of remembered signatures; `window` is the signature window in seconds.
    init(capacity: Int, window: Int64) {
        precondition(capacity > 0 && window >= 0, "replay cache needs a positive capacity")
        shards = (0..<Self.shardCount).map { _ in Locked(Shard()) }
        self.window = window
        capacityPerShard = max(1, capacity / Self.shardCount)
    }

    /// Records the signature and returns `true` the first time; `false` for a replay within the window.
    func insertIfFresh(_ key: Digest256, created: Int64, now: Int64) -> Bool {
        let shard = shards[Int(key.a % UInt64(Self.shardCount))]
        return shard.withLock { shard in
            if shard.lastPurge != now {
                shard.lastPurge = now
                for second in shard.byCreated.keys where second < now - window {
                    for old in shard.byCreated.removeValue(forKey: second) ?? [] { shard.entries.remove(old) }
                }
            }
            guard shard.entries.insert(key).inserted else { return false }
            shard.byCreated[created, default: []].append(key)
            // Bounded: beyond capacity the oldest signatures are forgotten first (a flood costs the attacker a
            // valid signature per entry, and the oldest are the closest to being refused as stale anyway).
            while shard.entries.count > capacityPerShard, let oldest = shard.byCreated.keys.min() {
                for old in shard.byCreated.removeValue(forKey: oldest) ?? [] { shard.entries.remove(old) }
            }
            return true
        }
    }

    /// The number of remembered signatures.
    var count: Int { shards.reduce(0) { total, shard in total + shard.withLock { $0.entries.count } } }
}
