extension StructuredField {
    /// An Item: a bare item with parameters (RFC 8941 §3.3).
    public struct Item: Hashable, Sendable {
        /// The value.
        public var bareItem: BareItem
        /// The parameters, in order.
        public var parameters: Parameters

        /// Creates an item.
        public init(_ bareItem: BareItem, parameters: Parameters = Parameters()) {
            self.bareItem = bareItem
            self.parameters = parameters
        }
    }
}
