#if canImport(Glibc)
import Glibc
#endif
import CSystemShims

/// A small HTTP/1.1 client over one keep-alive connection; cheap enough to open thousands.
///
/// ```swift
/// let client = HTTPClient(host: "127.0.0.1", port: server.port)
/// let response = try await client.get("/hello")
/// await client.close()
/// ```
/// Requests on one client are sent one after another. Waiting for the socket suspends the task
/// (a shared epoll thread resumes it), so no thread is held per connection. If a reused
/// connection turns out to be closed before any response byte, an idempotent request is retried
/// once on a fresh connection.
public actor HTTPClient {
    /// The server's host literal (IPv4, IPv6 or `localhost`).
    public let host: String
    /// The server's port.
    public let port: Int
    /// Largest response content accepted; larger fails with `invalidResponse`.
    public let maxBodyBytes: Int

    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    private var reused = false
    /// Whether any byte of the current response arrived (then a retry could repeat side effects).
    private var responseStarted = false

    /// Creates a client; the connection opens with the first request.
    public init(host: String, port: Int, maxBodyBytes: Int = 16 * 1024 * 1024) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
    }

    deinit {
        if fd >= 0 {
            IOReactor.shared.forget(fd: fd)
            Glibc.close(fd)
        }
    }

    /// Sends a GET request.
    public func get(_ target: String, headers: HTTPHeaders = HTTPHeaders()) async throws(SocketError) -> HTTPResponse {
        try await send(HTTPRequest(method: .get, target: target, headers: headers))
    }

    /// Sends a POST request with `body`.
    public func post(_ target: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8]) async throws(SocketError) -> HTTPResponse {
        try await send(HTTPRequest(method: .post, target: target, headers: headers, body: body))
    }

    /// Sends `request` (its method, target, headers and body) and reads the response.
    ///
    /// `Host` is added when absent and `Content-Length` is always derived from the body.
    public func send(_ request: HTTPRequest) async throws(SocketError) -> HTTPResponse {
        let bytes = try serialize(request)
        let idempotent = [HTTPMethod.get, .head, .put, .delete, .options].contains(request.method)
        do {
            return try await exchange(bytes, headOnly: request.method == .head)
        } catch .connectionClosed where reused && idempotent && !responseStarted {
            disconnect()
            return try await exchange(bytes, headOnly: request.method == .head)
        }
    }

    /// Closes the connection.
    public func close() {
        disconnect()
    }

    private func exchange(_ bytes: [UInt8], headOnly: Bool) async throws(SocketError) -> HTTPResponse {
        if fd < 0 { try await connect() } else { reused = true }
        responseStarted = false
        do {
            try await write(bytes)
            let (response, keepAlive) = try await readResponse(headOnly: headOnly)
            if !keepAlive { disconnect() }
            return response
        } catch {
            let (wasReused, started) = (reused, responseStarted)
            disconnect()
            (reused, responseStarted) = (wasReused, started)
            throw error
        }
    }

    private func serialize(_ request: HTTPRequest) throws(SocketError) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: "\(request.method.rawValue) \(request.target) HTTP/1.1\r\n".utf8)
        var headers = request.headers
        if !headers.contains("Host") {
            headers.add(name: "Host", value: host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
        }
        headers.remove(name: "Content-Length")
        headers.remove(name: "Transfer-Encoding")
        if !request.body.isEmpty || request.method == .post || request.method == .put || request.method == .patch {
            headers.add(name: "Content-Length", value: String(request.body.count))
        }
        let probe = HTTPResponse(status: .ok, headers: headers)
        guard ResponseSerializer.isValid(probe),
            request.target.utf8.allSatisfy({ ByteClass.isTargetChar($0) }),
            !request.method.rawValue.isEmpty, request.method.rawValue.utf8.allSatisfy(ByteClass.isTokenChar)
        else { throw .invalidResponse("request has an invalid method, target or header") }
        for field in headers {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: request.body)
        return out
    }

    // MARK: - Socket

    private func connect() async throws(SocketError) {
        guard var address = Sys.makeAddress(host: host, port: port) else { throw .invalidAddress(host) }
        let socketFD = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
            | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socketFD >= 0 else { throw .system(call: "socket", errno: errno) }
        fd = socketFD
        reused = false
        buffer = []
        Sys.setNoDelay(socketFD)
        let result = withUnsafePointer(to: &address.storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socketFD, $0, address.length) }
        }
        if result != 0 {
            guard errno == EINPROGRESS else {
                let code = errno
                disconnect()
                throw .system(call: "connect", errno: code)
            }
            await IOReactor.shared.wait(fd: socketFD, write: true)
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(socketFD, SOL_SOCKET, SO_ERROR, &error, &length)
            if error != 0 {
                disconnect()
                throw .system(call: "connect", errno: error)
            }
        }
    }

    private func disconnect() {
        if fd >= 0 {
            IOReactor.shared.forget(fd: fd)
            Glibc.close(fd)
        }
        fd = -1
        buffer = []
        reused = false
    }

    private func write(_ bytes: [UInt8]) async throws(SocketError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n >= 0 {
                offset += n
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                await IOReactor.shared.wait(fd: fd, write: true)
            } else if errno == EPIPE || errno == ECONNRESET {
                throw .connectionClosed
            } else if errno != EINTR {
                throw .system(call: "send", errno: errno)
            }
        }
    }

    /// Reads more bytes into `buffer`; false at end of stream.
    private func fill() async throws(SocketError) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<n])
                responseStarted = true
                return true
            }
            if n == 0 { return false }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                await IOReactor.shared.wait(fd: fd, write: false)
            } else if errno == ECONNRESET {
                return false
            } else if errno != EINTR {
                throw .system(call: "recv", errno: errno)
            }
        }
    }

    // MARK: - Response parsing (RFC 9112 §4, §6.3)

    private func readResponse(headOnly: Bool) async throws(SocketError) -> (HTTPResponse, Bool) {
        while true {
            let (status, headers, version) = try await readHead()
            // RFC 9110 §15.2: interim responses precede the final one; skip them.
            if (100..<200).contains(status.code) { continue }
            var keepAlive = version == .http1_1
            for value in headers.values(for: "Connection") {
                for token in value.split(separator: ",") {
                    let t = String(token.trimmingASCIIWhitespace())
                    if HTTPHeaders.namesEqual(t, "close") { keepAlive = false }
                    if HTTPHeaders.namesEqual(t, "keep-alive") && version == .http1_0 { keepAlive = true }
                }
            }
            var response = HTTPResponse(status: status, headers: headers)
            if headOnly || status.forbidsBody { return (response, keepAlive) }
            if let te = headers["Transfer-Encoding"] {
                guard HTTPHeaders.namesEqual(te, "chunked"), !headers.contains("Content-Length") else {
                    throw .invalidResponse("unsupported transfer-encoding \(te)")
                }
                response.body = try await readChunked()
            } else if let cl = headers["Content-Length"] {
                guard headers.values(for: "Content-Length").count == 1, !cl.isEmpty,
                    cl.utf8.allSatisfy(ByteClass.isDigit), let length = Int(cl)
                else { throw .invalidResponse("bad content-length") }
                guard length <= maxBodyBytes else { throw .invalidResponse("content too large") }
                while buffer.count < length {
                    guard try await fill() else { throw .connectionClosed }
                }
                response.body = Array(buffer[0..<length])
                buffer.removeFirst(length)
            } else {
                // RFC 9112 §6.3 rule 8: the content runs until the server closes.
                while try await fill() {
                    if buffer.count > maxBodyBytes { throw .invalidResponse("content too large") }
                }
                response.body = buffer
                buffer = []
                keepAlive = false
            }
            return (response, keepAlive)
        }
    }

    private func readLine(limit: Int = 64 * 1024) async throws(SocketError) -> ArraySlice<UInt8> {
        var searched = 0
        while true {
            if let lf = buffer[searched...].firstIndex(of: ByteClass.lf) {
                guard lf > 0, buffer[lf - 1] == ByteClass.cr else { throw .invalidResponse("bare LF") }
                let line = buffer[0..<(lf - 1)]
                buffer.removeFirst(lf + 1)
                return ArraySlice(Array(line))
            }
            searched = buffer.count
            if buffer.count > limit { throw .invalidResponse("line too long") }
            guard try await fill() else { throw .connectionClosed }
        }
    }

    private func readHead() async throws(SocketError) -> (HTTPStatus, HTTPHeaders, HTTPVersion) {
        let statusLine = try await readLine()
        let text = String(decoding: statusLine, as: UTF8.self)
        let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "HTTP/1.1" || parts[0] == "HTTP/1.0",
            parts[1].utf8.count == 3, let code = Int(parts[1])
        else { throw .invalidResponse("bad status line") }
        let version: HTTPVersion = parts[0] == "HTTP/1.1" ? .http1_1 : .http1_0
        let reason = parts.count == 3 ? String(parts[2]) : ""
        var headers = HTTPHeaders()
        var total = 0
        while true {
            let line = try await readLine()
            if line.isEmpty { break }
            total += line.count
            guard total <= 64 * 1024, headers.count < 1000 else { throw .invalidResponse("header section too large") }
            let field: (nameEnd: Int, valueRange: Range<Int>)
            do { field = try HTTPRequestParser.parseFieldLine(line) } catch { throw .invalidResponse("bad field line") }
            headers.add(name: String(decoding: line[line.startIndex..<field.nameEnd], as: UTF8.self),
                        value: String(decoding: line[field.valueRange], as: UTF8.self))
        }
        return (HTTPStatus(code: code, reasonPhrase: reason), headers, version)
    }

    private func readChunked() async throws(SocketError) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try await readLine(limit: 4096)
            var size = 0
            var digits = 0
            for byte in line {
                guard let value = PercentDecoding.hexValue(byte) else { break }
                size = size &* 16 &+ Int(value)
                digits += 1
                guard digits <= 15 else { throw .invalidResponse("chunk too large") }
            }
            guard digits > 0 else { throw .invalidResponse("bad chunk size") }
            if size == 0 {
                // Trailer section: skipped.
                while try await !readLine().isEmpty {}
                return body
            }
            guard body.count + size <= maxBodyBytes else { throw .invalidResponse("content too large") }
            while buffer.count < size + 2 {
                guard try await fill() else { throw .connectionClosed }
            }
            guard buffer[size] == ByteClass.cr, buffer[size + 1] == ByteClass.lf else {
                throw .invalidResponse("bad chunk terminator")
            }
            body.append(contentsOf: buffer[0..<size])
            buffer.removeFirst(size + 2)
        }
    }
}
