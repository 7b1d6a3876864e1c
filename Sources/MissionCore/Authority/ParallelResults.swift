import Foundation

/// One slot per parallel worker, filled under a lock. `@unchecked Sendable`: `slots` is only
/// touched under `lock`.
final class ParallelResults<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) { lock.withLock { slots[index] = value } }

    var values: [Value?] { lock.withLock { slots } }
}
