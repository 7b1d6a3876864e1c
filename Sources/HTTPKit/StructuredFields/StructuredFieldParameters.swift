extension StructuredField {
    /// Ordered parameters (RFC 8941 §3.1.2): keys are unique, a repeated key overwrites the value in place (§4.2.3.2).
    public struct Parameters: Hashable, Sendable, ExpressibleByDictionaryLiteral {
        /// The parameters in order.
        public private(set) var entries: [(key: String, value: BareItem)]

        /// Creates empty parameters.
        public init() {
            entries = []
        }

        /// Creates parameters from key/value pairs in order; later duplicates overwrite earlier ones.
        public init(_ pairs: [(String, BareItem)]) {
            entries = []
            for (key, value) in pairs { self[key] = value }
        }

        /// Creates parameters from a literal, in the literal's order.
        public init(dictionaryLiteral elements: (String, BareItem)...) {
            self.init(elements)
        }

        /// Makes room for `count` parameters, so that parsing a few does not grow the storage one step at a time.
        mutating func reserveCapacity(_ count: Int) {
            entries.reserveCapacity(count)
        }

        /// Number of parameters.
        public var count: Int { entries.count }

        /// True when there are no parameters.
        public var isEmpty: Bool { entries.isEmpty }

        /// The keys in order.
        public var keys: [String] { entries.map(\.key) }

        /// The value for `key`; setting `nil` removes it, setting an existing key keeps its position.
        public subscript(key: String) -> BareItem? {
            get { entries.first { $0.key == key }?.value }
            set {
                if let index = entries.firstIndex(where: { $0.key == key }) {
                    if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
                } else if let newValue {
                    entries.append((key, newValue))
                }
            }
        }

        public static func == (lhs: Parameters, rhs: Parameters) -> Bool {
            // Covered components usually have no parameters; compared for every required component.
            guard lhs.entries.count == rhs.entries.count else { return false }
            if lhs.entries.isEmpty { return true }
            return lhs.entries.elementsEqual(rhs.entries) { $0.key == $1.key && $0.value == $1.value }
        }

        public func hash(into hasher: inout Hasher) {
            for entry in entries {
                hasher.combine(entry.key)
                hasher.combine(entry.value)
            }
        }
    }
}
