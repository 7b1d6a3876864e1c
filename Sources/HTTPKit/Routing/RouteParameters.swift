/// Values captured by `:name` segments of a route pattern, percent-decoded.
public struct RouteParameters: Sendable, Equatable {
    private var storage: [(name: String, value: String)] = []

    /// Creates an empty parameter set.
    public init() {}

    /// The decoded value captured for `name`, or nil.
    public subscript(name: String) -> String? {
        storage.first { $0.name == name }?.value
    }

    /// The decoded value captured for `name`; throws a 400 problem when absent.
    public func require(_ name: String) throws(RouteParameterError) -> String {
        guard let value = self[name] else { throw RouteParameterError(name: name) }
        return value
    }

    mutating func append(name: String, value: String) { storage.append((name, value)) }
    mutating func removeLast() { storage.removeLast() }

    public static func == (lhs: RouteParameters, rhs: RouteParameters) -> Bool {
        lhs.storage.elementsEqual(rhs.storage) { $0.name == $1.name && $0.value == $1.value }
    }
}
