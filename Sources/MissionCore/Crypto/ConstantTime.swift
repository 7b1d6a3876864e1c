/// Comparisons whose running time does not depend on where two secrets differ.
public enum ConstantTime {
    /// `true` when `a` and `b` hold the same bytes. The time depends only on the lengths,
    /// which are not secret here (digests and keys have fixed sizes).
    public static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        // Arrays and native strings' UTF-8 are contiguous: compare the buffers directly (the generic
        // zip below costs ~100× more per byte, on every digest and key comparison of a request).
        if let result = a.withContiguousStorageIfAvailable({ first in
            b.withContiguousStorageIfAvailable { second in equals(first, second) }
        }), let result {
            return result
        }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }

    /// Every byte is read whatever the contents; the caller checked the lengths.
    private static func equals(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var difference: UInt8 = 0
        for index in 0..<a.count { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
