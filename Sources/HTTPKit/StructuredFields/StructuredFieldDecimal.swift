extension StructuredField {
    /// An RFC 8941 Decimal held exactly as an integer count of thousandths (§3.3.2 allows three fractional digits).
    public struct Decimal: Hashable, Sendable, CustomStringConvertible {
        /// The value times 1000.
        public var thousandths: Int64

        /// Creates a decimal from its value in thousandths (`1500` is 1.5).
        public init(thousandths: Int64) {
            self.thousandths = thousandths
        }

        /// The value as a `Double`, for display and arithmetic that tolerates rounding.
        public var doubleValue: Double { Double(thousandths) / 1000 }

        /// The canonical serialization (§4.1.5), e.g. `1.5`, `-0.25`, `3.0`.
        public var description: String {
            let magnitude = thousandths.magnitude
            var fraction = String(magnitude % 1000)
            while fraction.count < 3 { fraction = "0" + fraction }
            while fraction.count > 1, fraction.hasSuffix("0") { fraction.removeLast() }
            return (thousandths < 0 ? "-" : "") + String(magnitude / 1000) + "." + fraction
        }
    }
}
