#if canImport(Glibc)
import Glibc
#endif

/// Thin helpers over libc calls, in the SwiftNIO habit of small `sys*` wrappers.
enum Sys {
    static let epollIn: UInt32 = 0x001
    static let epollOut: UInt32 = 0x004
    static let epollErr: UInt32 = 0x008
    static let epollHup: UInt32 = 0x010
    static let epollRdHup: UInt32 = 0x2000

    /// CLOCK_MONOTONIC in nanoseconds: deadlines must not move with wall-clock changes.
    @inline(__always)
    static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    static func nanos(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        if seconds < 0 { return 0 }
        return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    }

    static func epollControl(_ epollFD: Int32, _ op: Int32, _ fd: Int32, events: UInt32, data: UInt64) -> Int32 {
        Epoll.control(epollFD, op, fd, events: events, data: data)
    }

    static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        // TCP_NODELAY: small responses go out at once instead of waiting for Nagle's algorithm.
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// `ip:port` or `[ip]:port` for a peer address.
    static func describe(_ storage: inout sockaddr_storage) -> String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    var addr = sin.pointee.sin_addr
                    inet_ntop(AF_INET, &addr, &text, socklen_t(text.count))
                    let end = text.firstIndex(of: 0) ?? text.count
                    return String(decoding: text[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                        + ":" + String(UInt16(bigEndian: sin.pointee.sin_port))
                }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                    var addr = sin6.pointee.sin6_addr
                    inet_ntop(AF_INET6, &addr, &text, socklen_t(text.count))
                    let end = text.firstIndex(of: 0) ?? text.count
                    return "[" + String(decoding: text[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                        + "]:" + String(UInt16(bigEndian: sin6.pointee.sin6_port))
                }
            }
        default:
            return ""
        }
    }

    /// Resolves a configured host literal into a socket address (no DNS: `localhost` only).
    static func makeAddress(host: String, port: Int) -> (storage: sockaddr_storage, length: socklen_t, family: Int32)? {
        guard (0...65535).contains(port) else { return nil }
        let literal = host == "localhost" ? "127.0.0.1" : host
        var storage = sockaddr_storage()
        var v4 = sockaddr_in()
        if inet_pton(AF_INET, literal, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = UInt16(port).bigEndian
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee = v4 }
            }
            return (storage, socklen_t(MemoryLayout<sockaddr_in>.size), AF_INET)
        }
        var v6 = sockaddr_in6()
        let bare = literal.hasPrefix("[") && literal.hasSuffix("]") ? String(literal.dropFirst().dropLast()) : literal
        if inet_pton(AF_INET6, bare, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = UInt16(port).bigEndian
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee = v6 }
            }
            return (storage, socklen_t(MemoryLayout<sockaddr_in6>.size), AF_INET6)
        }
        return nil
    }
}
