/// A point in the sequence of review changes, taken before reading a review's state, so that a
/// later `waitForChange(reviewID:after:timeout:)` also sees a change landing in between.
public struct ReviewChangeMark: Hashable, Comparable, Sendable {
    /// The notifier's change counter when the mark was taken.
    let generation: UInt64

    public static func < (lhs: ReviewChangeMark, rhs: ReviewChangeMark) -> Bool {
        lhs.generation < rhs.generation
    }
}
