/// One decoded `name=value` pair of a query string.
public struct QueryItem: Sendable, Equatable {
    /// The decoded name.
    public var name: String
    /// The decoded value; empty when the item had no `=`.
    public var value: String

    /// Creates a query item.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Splits a raw query on `&` and decodes each side of the first `=`.
    static func parse(_ query: String) -> [QueryItem] {
        var items: [QueryItem] = []
        for part in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let bytes = Array(part)
            let name: ArraySlice<UInt8>
            let value: ArraySlice<UInt8>
            if let eq = bytes.firstIndex(of: UInt8(ascii: "=")) {
                name = bytes[..<eq]
                value = bytes[(eq + 1)...]
            } else {
                name = bytes[...]
                value = []
            }
            items.append(QueryItem(name: PercentDecoding.decodeLenient(name, plusAsSpace: true),
                                   value: PercentDecoding.decodeLenient(value, plusAsSpace: true)))
        }
        return items
    }
}
