extension StructuredField {
    /// An Inner List: parenthesized items with parameters on the list itself (RFC 8941 §3.1.1).
    public struct InnerList: Hashable, Sendable {
        /// The items in order.
        public var items: [Item]
        /// Parameters of the whole inner list.
        public var parameters: Parameters

        /// Creates an inner list.
        public init(_ items: [Item], parameters: Parameters = Parameters()) {
            self.items = items
            self.parameters = parameters
        }
    }
}
