/// An ordered list of header fields with case-insensitive name lookup (RFC 9110 §5.1).
///
/// Names and values are kept exactly as received, in order, so that message-signature code can
/// see the raw field lines; lookups compare names ASCII-case-insensitively.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One field line: its name and value as received (value without surrounding whitespace).
    public struct Field: Sendable, Equatable {
        /// The field name as received.
        public var name: String
        /// The field value, with leading and trailing whitespace removed (RFC 9112 §5).
        public var value: String

        /// Creates a field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The fields in the order they were received or added.
    public private(set) var fields: [Field]

    /// Creates an empty header list.
    public init() { fields = [] }

    /// Creates a header list from name-value pairs, in order.
    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// Creates a header list from fields, in order. Unlike a dictionary literal, which is built as an array of
    /// pairs and then mapped to fields, the array is kept as it is: one allocation instead of two.
    public init(fields: [Field]) {
        self.fields = fields
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The number of field lines.
    public var count: Int { fields.count }

    /// Whether there are no field lines.
    public var isEmpty: Bool { fields.isEmpty }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// The value of the first field named `name`, or nil.
    public subscript(name: String) -> String? {
        first(name: name)
    }

    /// The value of the first field named `name`, or nil.
    public func first(name: String) -> String? {
        for field in fields where Self.namesEqual(field.name, name) { return field.value }
        return nil
    }

    /// Every value of fields named `name`, in order.
    public func values(for name: String) -> [String] {
        // A plain loop rather than `compactMap`: this runs several times per signed request. The wanted name's
        // bytes are taken once, not once per field.
        var values: [String] = []
        let scanned: Void? = name.utf8.withContiguousStorageIfAvailable { wanted in
            for field in fields where field.name.utf8.count == wanted.count {
                let equal =
                    field.name.utf8.withContiguousStorageIfAvailable { Self.bytesEqualIgnoringASCIICase($0, wanted) }
                    ?? Self.iteratedNamesEqual(field.name, name)
                if equal { values.append(field.value) }
            }
        }
        if scanned == nil {
            for field in fields where Self.namesEqual(field.name, name) { values.append(field.value) }
        }
        return values
    }

    /// The value of the first field named `name` and how many fields have that name, without building an array
    /// (`values(for:)` allocates one per call): `(nil, 0)` when absent; `count > 1` means a repeated field.
    public func firstValueAndCount(for name: String) -> (first: String?, count: Int) {
        var first: String?
        var count = 0
        for field in fields where Self.namesEqual(field.name, name) {
            if count == 0 { first = field.value }
            count += 1
        }
        return (first, count)
    }

    /// Every line of field `name` joined with ", " (RFC 9110 §5.3), or nil when absent. One line, the usual
    /// case, is returned as it is: no array and no copy.
    public func combinedValue(for name: String) -> String? {
        let (first, count) = firstValueAndCount(for: name)
        guard let first else { return nil }
        return count == 1 ? first : values(for: name).joined(separator: ", ")
    }

    /// Whether any line of field `name` lists `token` (ASCII case-insensitive) among its comma-separated,
    /// OWS-trimmed members (RFC 9110 §5.6.1), as `Connection: keep-alive, close` does. Splits by Character,
    /// exactly like `value.split(separator: ",")`, but builds no array and no String.
    func listContains(_ token: String, inFieldsNamed name: String) -> Bool {
        for field in fields where Self.namesEqual(field.name, name) {
            var rest = field.value[...]
            while !rest.isEmpty {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                let member = rest[rest.startIndex..<end].trimmingASCIIWhitespace()
                if Self.substringEqualsIgnoringASCIICase(member, token) { return true }
                rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
            }
        }
        return false
    }

    /// `namesEqual(String(member), name)` without making the String.
    static func substringEqualsIgnoringASCIICase(_ member: Substring, _ name: String) -> Bool {
        guard member.utf8.count == name.utf8.count else { return false }
        return zip(member.utf8, name.utf8).allSatisfy { $0 == $1 || asciiLower($0) == asciiLower($1) }
    }

    /// Whether a field named `name` is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { Self.namesEqual($0.name, name) }
    }

    /// Makes room for `count` field lines, so that adding them does not grow the storage step by step.
    mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }

    /// Appends a field line, keeping any existing fields with the same name.
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field named `name` by a single field with `value` (appended if absent).
    public mutating func replaceOrAdd(name: String, value: String) {
        if let index = fields.firstIndex(where: { Self.namesEqual($0.name, name) }) {
            fields[index].value = value
            var i = fields.count - 1
            while i > index {
                if Self.namesEqual(fields[i].name, name) { fields.remove(at: i) }
                i -= 1
            }
        } else {
            add(name: name, value: value)
        }
    }

    /// Removes every field named `name`.
    public mutating func remove(name: String) {
        fields.removeAll { Self.namesEqual($0.name, name) }
    }

    /// Compares two field names ASCII-case-insensitively without allocating.
    @inlinable
    static func namesEqual(_ a: String, _ b: String) -> Bool {
        // Case folding is ASCII-only here, so names of different byte lengths never match (O(1) for native strings).
        guard a.utf8.count == b.utf8.count else { return false }
        // Native strings and literals expose their bytes: compare buffers instead of stepping two iterators.
        let contiguous = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in bytesEqualIgnoringASCIICase(x, y) }
        }
        if let contiguous, let result = contiguous { return result }
        return iteratedNamesEqual(a, b)
    }

    /// The general comparison, for strings without contiguous UTF-8 (bridged or lazily decoded).
    @usableFromInline
    static func iteratedNamesEqual(_ a: String, _ b: String) -> Bool {
        var ai = a.utf8.makeIterator()
        var bi = b.utf8.makeIterator()
        while true {
            switch (ai.next(), bi.next()) {
            case (nil, nil): return true
            case let (x?, y?):
                if x != y && asciiLower(x) != asciiLower(y) { return false }
            default: return false
            }
        }
    }

    /// Byte-wise equality after ASCII lowercasing; buffers of different lengths are unequal.
    @inlinable
    static func bytesEqualIgnoringASCIICase(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        guard x.count == y.count else { return false }
        for i in 0..<x.count where x[i] != y[i] && asciiLower(x[i]) != asciiLower(y[i]) { return false }
        return true
    }

    @inlinable
    static func asciiLower(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }
}
