#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A deliberately naive blocking HTTP/1.1 client for tests; it shares no code with HTTPKit's
/// parser, so a bug there cannot hide itself here. Use it only inside `blocking { }`.
/// `@unchecked Sendable`: each instance is used by one thread at a time (handed over, never shared).
final class RawClient: @unchecked Sendable {
    struct Response {
        var statusLine: String
        var status: Int
        /// Lower-cased names.
        var headers: [(String, String)]
        var body: [UInt8]
        func header(_ name: String) -> String? { headers.first { $0.0 == name.lowercased() }?.1 }
        var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let fd: Int32
    private var pending: [UInt8] = []

    init(port: Int, host: String = "127.0.0.1", receiveTimeoutSeconds: Int = 10) throws {
        let v6 = host.contains(":")
        fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket errno \(errno)") }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result: Int32
        if v6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = UInt16(port).bigEndian
            inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw Failure(description: "connect errno \(code)")
        }
    }

    deinit { close(fd) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send errno \(errno)") }
            offset += n
        }
    }

    /// Reads more bytes; false on EOF or reset.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            pending.append(contentsOf: chunk[0..<n])
            return true
        }
        if n == 0 || errno == ECONNRESET { return false }
        throw Failure(description: "recv errno \(errno) (timeout?)")
    }

    /// Reads one response; `headOnly` for HEAD (no content follows whatever Content-Length says).
    func readResponse(headOnly: Bool = false) throws -> Response {
        let terminator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            if let range = pending.firstRange(of: terminator) {
                headEnd = range.lowerBound
            } else if try !fill() {
                throw Failure(description: "closed before a response head; got \(String(decoding: pending, as: UTF8.self))")
            }
        }
        let head = String(decoding: pending[0..<headEnd!], as: UTF8.self)
        pending.removeFirst(headEnd! + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0] == "HTTP/1.1", let status = Int(parts[1]) else {
            throw Failure(description: "bad status line \(statusLine)")
        }
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw Failure(description: "bad header \(line)") }
            headers.append((line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var response = Response(statusLine: statusLine, status: status, headers: headers, body: [])
        if headOnly || status / 100 == 1 || status == 204 || status == 304 { return response }
        guard let lengthText = response.header("content-length"), let length = Int(lengthText) else {
            throw Failure(description: "no content-length in \(head)")
        }
        while pending.count < length {
            guard try fill() else { throw Failure(description: "closed inside content") }
        }
        response.body = Array(pending[0..<length])
        pending.removeFirst(length)
        return response
    }

    /// Whether the server closes the connection (EOF or reset) with no further bytes.
    func readsEndOfStream() throws -> Bool {
        if !pending.isEmpty { return false }
        return try !fill() && pending.isEmpty
    }

    /// Reads until the server closes; returns everything received after what was consumed.
    func readToEnd() throws -> [UInt8] {
        while try fill() {}
        defer { pending = [] }
        return pending
    }

    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }
}

/// Runs blocking socket work on its own thread so it never starves the cooperative pool that
/// the server's handlers run on.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.start()
    }
}

/// A scripted blocking server: accepts `responses.count` connections in turn and answers one
/// request on each with the given raw bytes, then closes that connection without a word.
final class ScriptedServer: Sendable {
    let port: Int
    private let fd: Int32

    init(responses: [String]) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listenFD = fd
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listenFD, $0, length) } }
        listen(fd, 16)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listenFD, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread {
            for response in responses {
                let client = accept(listenFD, nil, nil)
                guard client >= 0 else { return }
                var received: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 4096)
                while received.firstRange(of: [13, 10, 13, 10]) == nil {
                    let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                    if n <= 0 { break }
                    received.append(contentsOf: chunk[0..<n])
                }
                let bytes = Array(response.utf8)
                _ = bytes.withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(client)
            }
        }
        thread.start()
    }

    deinit { close(fd) }
}
