import Synchronization

/// A write the writer should expect: a request that has started and will most likely write
/// shortly (a token request being authenticated and decided). While anticipated writes are
/// outstanding, the writer holds a batch back for up to its commit delay, so that they join it
/// instead of each paying a commit (an fsync and its context switches) of its own.
///
/// This is PostgreSQL's `commit_delay` with `commit_siblings`, counted exactly: the delay applies
/// only while somebody is known to be on the way, so a lone request is committed at once and the
/// delay never exceeds what the anticipated writes take to arrive (bounded by the commit delay).
///
/// An anticipation ends at the first write enqueued inside `DatabaseWriter.anticipating` (through
/// a task-local), or when that scope ends without a write (a refused request).
final class WriteAnticipation: @unchecked Sendable {
    // `@unchecked Sendable` only for `core`: a weak reference is a `var`, written once here and
    // read afterwards. `isOutstanding` is an atomic flag: one is created per token request, and an
    // `NSLock` cost two allocations of its own (the object and its pthread mutex).
    private let isOutstanding = Atomic<Bool>(true)
    private weak var core: WriterCore?

    init(core: WriterCore) {
        self.core = core
    }

    /// Ends the anticipation once (later calls do nothing); true when this call ended it.
    func end() -> Bool {
        isOutstanding.exchange(false, ordering: .acquiringAndReleasing)
    }

    /// The writer this anticipation was counted on.
    var writer: WriterCore? { core }

    /// The anticipation of the current task, if a caller set one up.
    @TaskLocal static var current: WriteAnticipation?
}
