#if canImport(Glibc)
import Glibc
#endif
import CSystemShims

/// The epoll, eventfd and accept4 interface, through the `CSystemShims` C module: Swift's Glibc
/// module does not export these headers, and `struct epoll_event` (packed on x86-64) is only ever
/// touched in C, where its layout is the compiler's business.
enum Epoll {
    static let ctlAdd = EPOLL_CTL_ADD
    static let ctlDel = EPOLL_CTL_DEL
    static let ctlMod = EPOLL_CTL_MOD
    static let eventSize = Int(cshim_epoll_event_size())

    static func create() -> Int32 { cshim_epoll_create() }

    static func control(_ epollFD: Int32, _ op: Int32, _ fd: Int32, events: UInt32, data: UInt64) -> Int32 {
        cshim_epoll_ctl(epollFD, op, fd, events, data)
    }

    /// Waits; events land in `buffer` (`eventSize` bytes each), read back with `event(at:in:)`.
    static func wait(_ epollFD: Int32, buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int32) -> Int32 {
        cshim_epoll_wait(epollFD, buffer.baseAddress, Int32(buffer.count / eventSize), timeoutMillis)
    }

    static func event(at index: Int, in buffer: UnsafeMutableRawBufferPointer) -> (events: UInt32, data: UInt64) {
        (cshim_epoll_event_mask(buffer.baseAddress, Int32(index)), cshim_epoll_event_data(buffer.baseAddress, Int32(index)))
    }

    static func makeEventFD() -> Int32 { cshim_eventfd() }

    static func accept(_ fd: Int32, _ storage: inout sockaddr_storage, _ length: inout socklen_t) -> Int32 {
        withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { cshim_accept(fd, $0, &length) }
        }
    }
}
