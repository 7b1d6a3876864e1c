import Foundation
import MissionCore

/// A token bucket per client address for failed admin authentications: `capacity` failures, refilled
/// at `capacity` per `period`. Consulted before any key lookup, so a flood of wrong keys from one
/// address costs a dictionary access each once its bucket is empty; other addresses are unaffected.
final class FailureRateLimiter: Sendable {
    /// Failures allowed in a burst.
    let capacity: Double
    /// Tokens regained per second.
    let refillPerSecond: Double
    /// Addresses tracked at most; full buckets are forgotten first.
    let maxAddresses: Int
    private let time: any TimeSource
    private let buckets = Locked([String: Bucket]())

    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    init(capacity: Int = 10, period: TimeInterval = 60, maxAddresses: Int = 10_000, time: any TimeSource) {
        self.capacity = Double(capacity)
        self.refillPerSecond = Double(capacity) / period
        self.maxAddresses = maxAddresses
        self.time = time
    }

    /// Seconds until `address` may try again, or `nil` when it may try now.
    func retryAfter(_ address: String) -> Int? {
        let now = time.now()
        return buckets.withLock { buckets -> Int? in
            guard let bucket = buckets[address] else { return nil }
            let tokens = refilled(bucket, at: now)
            guard tokens < 1 else { return nil }
            return max(1, Int(((1 - tokens) / refillPerSecond).rounded(.up)))
        }
    }

    /// Records one failed attempt from `address`.
    func recordFailure(_ address: String) {
        let now = time.now()
        buckets.withLock { buckets in
            let tokens = buckets[address].map { refilled($0, at: now) } ?? capacity
            buckets[address] = Bucket(tokens: max(0, tokens - 1), updated: now)
            if buckets.count > maxAddresses { prune(&buckets, at: now) }
        }
    }

    private func refilled(_ bucket: Bucket, at now: Date) -> Double {
        min(capacity, bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * refillPerSecond)
    }

    /// Forgets refilled buckets; if that is not enough, the fullest ones (the least suspicious).
    private func prune(_ buckets: inout [String: Bucket], at now: Date) {
        buckets = buckets.filter { refilled($0.value, at: now) < capacity }
        guard buckets.count > maxAddresses else { return }
        let keep = buckets.sorted { refilled($0.value, at: now) < refilled($1.value, at: now) }.prefix(maxAddresses / 2)
        buckets = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }
}
