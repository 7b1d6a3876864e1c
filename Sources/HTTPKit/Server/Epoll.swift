#if canImport(Glibc)
import Glibc
#endif

// Swift's Glibc module map does not include <sys/epoll.h> or <sys/eventfd.h>, and HTTPKit must
// stay free of extra targets, so the few calls needed are bound by symbol name. Every argument is
// an Int32, UInt32 or pointer, which the Swift and C calling conventions pass identically on the
// 64-bit Linux targets we support. (A tiny C shim target would be the tidier long-term home.)

@_silgen_name("epoll_create1")
private func c_epoll_create1(_ flags: Int32) -> Int32
@_silgen_name("epoll_ctl")
private func c_epoll_ctl(_ epfd: Int32, _ op: Int32, _ fd: Int32, _ event: UnsafeMutableRawPointer?) -> Int32
@_silgen_name("epoll_wait")
private func c_epoll_wait(_ epfd: Int32, _ events: UnsafeMutableRawPointer, _ maxEvents: Int32, _ timeout: Int32) -> Int32
@_silgen_name("eventfd")
private func c_eventfd(_ initialValue: UInt32, _ flags: Int32) -> Int32
@_silgen_name("accept4")
private func c_accept4(_ fd: Int32, _ address: UnsafeMutableRawPointer?, _ length: UnsafeMutablePointer<socklen_t>?, _ flags: Int32) -> Int32

/// The epoll and eventfd interface (values from <sys/epoll.h> and <sys/eventfd.h>).
enum Epoll {
    static let cloexec: Int32 = 0o2000000
    static let ctlAdd: Int32 = 1
    static let ctlDel: Int32 = 2
    static let ctlMod: Int32 = 3
    static let eventfdCloexec: Int32 = 0o2000000
    static let eventfdNonblock: Int32 = 0o4000

    #if arch(x86_64)
    /// `struct epoll_event` is packed on x86-64: a UInt32 mask then a UInt64 at offset 4.
    static let eventSize = 12
    static let dataOffset = 4
    #else
    static let eventSize = 16
    static let dataOffset = 8
    #endif

    static func create() -> Int32 { c_epoll_create1(cloexec) }

    static func control(_ epollFD: Int32, _ op: Int32, _ fd: Int32, events: UInt32, data: UInt64) -> Int32 {
        withUnsafeTemporaryAllocation(byteCount: eventSize, alignment: 8) { raw in
            raw.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: data, toByteOffset: dataOffset, as: UInt64.self)
            return c_epoll_ctl(epollFD, op, fd, raw.baseAddress)
        }
    }

    /// Waits; events land in `buffer` (`eventSize` bytes each), read back with `event(at:in:)`.
    static func wait(_ epollFD: Int32, buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int32) -> Int32 {
        c_epoll_wait(epollFD, buffer.baseAddress!, Int32(buffer.count / eventSize), timeoutMillis)
    }

    static func event(at index: Int, in buffer: UnsafeMutableRawBufferPointer) -> (events: UInt32, data: UInt64) {
        let base = index * eventSize
        return (buffer.loadUnaligned(fromByteOffset: base, as: UInt32.self),
                buffer.loadUnaligned(fromByteOffset: base + dataOffset, as: UInt64.self))
    }

    static func makeEventFD() -> Int32 { c_eventfd(0, eventfdCloexec | eventfdNonblock) }

    static func accept(_ fd: Int32, _ storage: inout sockaddr_storage, _ length: inout socklen_t) -> Int32 {
        withUnsafeMutablePointer(to: &storage) { pointer in
            c_accept4(fd, UnsafeMutableRawPointer(pointer), &length,
                      Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
        }
    }
}
