/// Comparisons whose running time does not depend on where two secrets differ.
public enum ConstantTime {
    /// `true` when `a` and `b` hold the same bytes. The time depends only on the lengths,
    /// which are not secret here (digests and keys have fixed sizes).
    public static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
