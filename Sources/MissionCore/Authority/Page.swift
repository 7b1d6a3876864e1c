/// One page of a listing and the opaque cursor for the next one (`nil` at the end).
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    /// Pass back as `cursor` to continue; opaque to callers.
    public let nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

extension Page: Equatable where Item: Equatable {}
