#if canImport(Glibc)
import Glibc
#endif
import CSystemShims
import Foundation

/// One epoll thread that resumes tasks waiting for client sockets to become readable or writable.
///
/// Registrations are one-shot (EPOLLONESHOT): a waiter stores its continuation under `lock`, then
/// arms the descriptor; the thread takes the continuation out under the same lock. A descriptor is
/// removed (`forget`) by its owner before the owner closes it, under `lock`, so a late event can
/// never resume a waiter of a reused descriptor number.
///
/// The lock is an `NSLock` (a pthread mutex), not `Synchronization.Mutex`: ThreadSanitizer models
/// pthread mutexes, while on this toolchain it reports accesses inside `Mutex.withLock` as races
/// (a 20-line program with four threads and only locked accesses draws the same report).
final class IOReactor: Sendable {
    static let shared = IOReactor()

    private static let oneShot: UInt32 = 1 << 30
    private let epollFD: Int32
    private let lock = LockedTable()

    private init() {
        epollFD = Epoll.create()
        let fd = epollFD
        let thread = Thread { IOReactor.run(epollFD: fd) }
        thread.name = "HTTPKit.ClientReactor"
        thread.start()
    }

    /// Suspends until `fd` is readable (`write == false`) or writable, or has an error/hang-up.
    func wait(fd: Int32, write: Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ok = lock.withLock { table -> Bool in
                let registered = table[fd]?.registered ?? false
                table[fd] = (true, continuation)
                let events = (write ? Sys.epollOut : Sys.epollIn) | Sys.epollRdHup | Self.oneShot
                let result = Epoll.control(epollFD, registered ? Epoll.ctlMod : Epoll.ctlAdd, fd, events: events, data: UInt64(fd))
                if result != 0 { table[fd] = (registered, nil) }
                return result == 0
            }
            // If arming failed the socket is unusable; let the caller's next syscall report why.
            if !ok { continuation.resume() }
        }
    }

    /// Deregisters `fd`; call before closing it. Any waiter is resumed.
    func forget(fd: Int32) {
        let waiter = lock.withLock { table -> CheckedContinuation<Void, Never>? in
            guard let entry = table.removeValue(forKey: fd) else { return nil }
            if entry.registered { _ = Epoll.control(epollFD, Epoll.ctlDel, fd, events: 0, data: 0) }
            return entry.waiter
        }
        waiter?.resume()
    }

    private func fire(fd: Int32) {
        let waiter = lock.withLock { table -> CheckedContinuation<Void, Never>? in
            guard let entry = table[fd] else { return nil }
            table[fd] = (entry.registered, nil)
            return entry.waiter
        }
        waiter?.resume()
    }

    private static func run(epollFD: Int32) {
        let events = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * Epoll.eventSize, alignment: 8)
        while true {
            let count = Epoll.wait(epollFD, buffer: events, timeoutMillis: -1)
            if count < 0 {
                if errno == EINTR { continue }
                return
            }
            for i in 0..<Int(count) {
                shared.fire(fd: Int32(truncatingIfNeeded: Epoll.event(at: i, in: events).data))
            }
        }
    }
}

/// The reactor's registrations: descriptor → (armed in epoll, the waiter to resume).
///
/// `@unchecked Sendable`: `table` is only read and written inside `withLock`, under `lock`.
private final class LockedTable: @unchecked Sendable {
    typealias Entry = (registered: Bool, waiter: CheckedContinuation<Void, Never>?)

    private let lock = NSLock()
    private var table: [Int32: Entry] = [:]

    func withLock<T>(_ body: (inout [Int32: Entry]) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&table)
    }
}
