/// A thread-safe map with a size bound that evicts the least recently used entries, for parsed keys and verified
/// agent tokens. Eviction removes the oldest eighth at once, so its sorting cost is amortized over many inserts.
final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var tick: UInt64 = 0
    }

    /// The most entries kept.
    let capacity: Int
    private let state = Locked(State())

    init(capacity: Int) {
        precondition(capacity > 0, "a cache needs room for one entry")
        self.capacity = capacity
    }

    /// The value for `key`, marking it recently used.
    func value(for key: Key) -> Value? {
        state.withLock { state in
            guard var entry = state.entries[key] else { return nil }
            state.tick &+= 1
            entry.lastUse = state.tick
            state.entries[key] = entry
            return entry.value
        }
    }

    /// Stores `value`, evicting the least recently used eighth when full.
    func insert(_ value: Value, for key: Key) {
        state.withLock { state in
            state.tick &+= 1
            if state.entries[key] == nil, state.entries.count >= capacity {
                let victims = state.entries.sorted { $0.value.lastUse < $1.value.lastUse }
                    .prefix(max(1, capacity / 8))
                for victim in victims { state.entries[victim.key] = nil }
            }
            state.entries[key] = Entry(value: value, lastUse: state.tick)
        }
    }

    /// Removes `key`.
    func remove(_ key: Key) {
        _ = state.withLock { $0.entries.removeValue(forKey: key) }
    }

    /// The number of entries.
    var count: Int { state.withLock { $0.entries.count } }
}
