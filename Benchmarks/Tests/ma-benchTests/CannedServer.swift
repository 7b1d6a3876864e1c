import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A raw TCP server on 127.0.0.1 for the load client's tests: it reads each request (head and `Content-Length`
/// body) and writes whatever `reply` returns for its head, closing the connection when told to. It shares no
/// parser with the code under test, and can answer with malformed bytes.
final class CannedServer: Sendable {
    /// The bytes to answer a request head with, and whether to close the connection after them.
    typealias Reply = @Sendable (_ head: String) -> (bytes: String, close: Bool)

    let port: Int
    private let listenFD: Int32
    private let reply: Reply
    private let heads = Mutex<[String]>([])

    init(reply: @escaping Reply) throws {
        self.reply = reply
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard fd >= 0, bound == 0, listen(fd, 128) == 0 else { throw CannedServerError.setup(errno) }
        var actual = sockaddr_in()
        var actualLength = length
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &actualLength) }
        }
        listenFD = fd
        port = Int(UInt16(bigEndian: actual.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops accepting (the connection threads end when the client closes).
    func stop() {
        shutdown(listenFD, Int32(SHUT_RDWR))
    }

    /// Every request head received so far.
    var receivedHeads: [String] { heads.withLock { $0 } }

    private func acceptLoop() {
        while true {
            let client = accept(listenFD, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                close(listenFD)
                return
            }
            let thread = Thread { [self] in serve(client) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            // One request: the head, then Content-Length bytes.
            var headEnd: Int?
            var needed = Int.max
            while buffer.count < needed {
                if headEnd == nil, let range = buffer.firstRange(of: Array("\r\n\r\n".utf8)) {
                    headEnd = range.upperBound
                    let head = String(decoding: buffer[..<range.upperBound], as: UTF8.self)
                    let length = head.components(separatedBy: "\r\n")
                        .first { $0.lowercased().hasPrefix("content-length:") }
                        .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }
                    needed = range.upperBound + (length ?? 0)
                    continue
                }
                let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { return }
                buffer += chunk[0..<count]
            }
            guard let end = headEnd else { return }
            let head = String(decoding: buffer[..<end], as: UTF8.self)
            heads.withLock { $0.append(head) }
            buffer.removeFirst(needed)
            let (text, closing) = reply(head)
            let bytes = Array(text.utf8)
            var sent = 0
            while sent < bytes.count {
                let count = bytes.withUnsafeBytes {
                    send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL))
                }
                if count <= 0 { return }
                sent += count
            }
            if closing { return }
        }
    }
}

enum CannedServerError: Error {
    case setup(Int32)
}
