/// A log-linear latency histogram in the manner of HdrHistogram: values below 128 ns are exact,
/// above that each power of two is split into 64 linear sub-buckets, so any recorded value is
/// reported within 1/64 (about 1.6 %) of its true value, with a fixed 4,096-slot array.
struct LatencyHistogram: Sendable {
    private static let subBucketBits = 7
    private static let subBucketCount = 1 << subBucketBits
    private static let halfCount = subBucketCount / 2
    private static let slotCount = 64 * halfCount

    private var counts = [UInt64](repeating: 0, count: LatencyHistogram.slotCount)
    /// Number of recorded values.
    private(set) var total: UInt64 = 0
    /// Largest recorded value, exactly.
    private(set) var maximum: UInt64 = 0
    /// Smallest recorded value, exactly.
    private(set) var minimum: UInt64 = .max
    private var sum: Double = 0

    /// Records one value (nanoseconds).
    mutating func record(_ value: UInt64) {
        counts[Self.slot(of: value)] += 1
        total += 1
        sum += Double(value)
        maximum = Swift.max(maximum, value)
        minimum = Swift.min(minimum, value)
    }

    /// Adds every value `other` recorded.
    mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] += other.counts[index] }
        total += other.total
        sum += other.sum
        maximum = Swift.max(maximum, other.maximum)
        minimum = Swift.min(minimum, other.minimum)
    }

    /// The mean of the recorded values, 0 when empty.
    var mean: Double { total == 0 ? 0 : sum / Double(total) }

    /// The value at `quantile` (0…1): the highest value of the slot that holds it, capped at the maximum.
    func value(atQuantile quantile: Double) -> UInt64 {
        guard total > 0 else { return 0 }
        let rank = Swift.max(1, UInt64((quantile * Double(total)).rounded(.up)))
        var seen: UInt64 = 0
        for (index, count) in counts.enumerated() where count > 0 {
            seen += count
            if seen >= rank { return Swift.min(Self.upperBound(of: index), maximum) }
        }
        return maximum
    }

    /// The slot of `value`: exact below `subBucketCount`, else (exponent, top 7 bits).
    static func slot(of value: UInt64) -> Int {
        if value < UInt64(subBucketCount) { return Int(value) }
        let exponent = (63 - value.leadingZeroBitCount) - (subBucketBits - 1)
        let index = exponent * halfCount + Int(value >> UInt64(exponent))
        return Swift.min(index, slotCount - 1)
    }

    /// The smallest value that lands in `slot`.
    static func lowerBound(of slot: Int) -> UInt64 {
        if slot < subBucketCount { return UInt64(slot) }
        let exponent = slot / halfCount - 1
        return UInt64(slot - exponent * halfCount) << UInt64(exponent)
    }

    /// The largest value that lands in `slot`.
    static func upperBound(of slot: Int) -> UInt64 {
        slot + 1 >= slotCount ? .max : lowerBound(of: slot + 1) - 1
    }
}
