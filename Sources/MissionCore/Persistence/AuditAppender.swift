import Foundation

/// Appends audit events inside the writer's transaction, owning the chain head.
///
/// Used only from work items on the writer thread, so one thread at a time touches `chain`
/// (`@unchecked Sendable`: the lock is the writer's serial thread; the `NSLock` only guards the
/// rare cross-thread `invalidate`). The cached head is checked against the newest stored
/// sequence at the start of every append: a savepoint rolled back or a batch whose COMMIT failed
/// leaves the cache ahead of the table, and the head is then re-read from the last row. That
/// check is one seek on the INTEGER PRIMARY KEY, far cheaper than the hashing it protects.
final class AuditAppender: @unchecked Sendable {
    private let lock = NSLock()
    private var chain: AuditChain?
    /// The canonical-bytes buffer and the SHA-256 context, reused for every event (writer
    /// thread only, like `chain`'s use).
    private var writer = AuditCanonicalForm.Writer()
    private let hasher = AuditHasher()

    init() {}

    /// Forget the cached head; the next append re-reads it.
    func invalidate() { lock.withLock { chain = nil } }

    /// The cached head, for tests and diagnostics.
    var cachedHead: AuditCheckpoint? { lock.withLock { chain?.head } }

    /// Numbers, hashes and inserts `entries` in order on `db` (the writer's connection, inside the
    /// caller's work item). If the insert fails the head is left where the table is.
    @discardableResult
    func append(_ entries: [AuditEntry], on db: SQLiteConnection) throws -> [AuditEvent] {
        var working = try currentChain(on: db)
        var events: [AuditEvent] = []
        events.reserveCapacity(entries.count)
        do {
            for entry in entries {
                let event = working.append(entry, writer: &writer, hasher: hasher)
                try AuditRows.insert(event, on: db, scratch: &writer)
                events.append(event)
            }
        } catch {
            invalidate()
            throw error
        }
        lock.withLock { chain = working }
        return events
    }

    private func currentChain(on db: SQLiteConnection) throws -> AuditChain {
        let newest = try AuditRows.newestSequence(on: db)
        if let cached = lock.withLock({ chain }), cached.head.sequence == newest {
            return cached
        }
        let head = try AuditRows.lastCheckpoint(on: db) ?? .genesis
        return AuditChain(after: head)
    }
}
