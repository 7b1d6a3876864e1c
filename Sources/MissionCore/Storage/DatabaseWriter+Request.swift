import Foundation

/// One caller's queued unit of work, type-erased so that one queue holds every result type.
///
/// `@unchecked Sendable`: a request is created by its caller, then handed to the writer thread
/// through the writer's locked queue (the lock orders every access), and only that thread touches
/// `outcome` afterwards.
protocol PendingWrite: AnyObject, Sendable {
    /// Runs the caller's work on the writer thread, keeps its result, returns the error it threw.
    func perform(_ connection: SQLiteConnection) -> (any Error)?
    /// Tells the caller the outcome: nil means "the batch committed; deliver your own result",
    /// an error means "you get this error instead".
    func complete(failure: (any Error)?)
}

final class WriteRequest<T: Sendable>: PendingWrite, @unchecked Sendable {
    private let work: @Sendable (SQLiteConnection) throws -> T
    private let deliver: @Sendable (Result<T, any Error>) -> Void
    private var outcome: Result<T, any Error>?

    init(
        work: @escaping @Sendable (SQLiteConnection) throws -> T,
        deliver: @escaping @Sendable (Result<T, any Error>) -> Void
    ) {
        self.work = work
        self.deliver = deliver
    }

    func perform(_ connection: SQLiteConnection) -> (any Error)? {
        do {
            outcome = .success(try work(connection))
            return nil
        } catch {
            outcome = .failure(error)
            return error
        }
    }

    func complete(failure: (any Error)?) {
        if let failure {
            deliver(.failure(failure))
        } else if let outcome {
            deliver(outcome)
        } else {
            preconditionFailure("a write was reported durable before its work ran")
        }
    }
}

/// A one-shot slot a synchronous caller blocks on until the writer thread fills it.
///
/// `@unchecked Sendable`: `result` is only read and written under `condition`.
final class BlockingResult<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<T, any Error>?

    func fulfill(_ value: Result<T, any Error>) {
        condition.withLock {
            result = value
            condition.broadcast()
        }
    }

    func wait() -> Result<T, any Error> {
        condition.withLock {
            while true {
                if let result { return result }
                condition.wait()
            }
        }
    }
}
