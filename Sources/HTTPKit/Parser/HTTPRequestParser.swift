#if canImport(Glibc)
import Glibc
#endif

/// An incremental, pure HTTP/1.1 request parser: bytes in, requests or a typed error out.
///
/// Feed bytes with `append`, then call `next()` until it returns nil (needs more bytes). It never
/// touches a socket, so every framing rule is unit-tested on byte arrays. After an error the parser
/// stays failed: the connection answers with `error.status` and closes, so nothing pipelined
/// behind a bad request is ever parsed (RFC 9112 §9.4 requires no answer to an ambiguous message).
public struct HTTPRequestParser: Sendable {
    /// The limits this parser enforces, taken from `HTTPServer.Configuration`.
    public struct Limits: Sendable {
        public var maxRequestLineBytes = 8 * 1024
        public var maxHeaderBytes = 16 * 1024
        public var maxHeaderCount = 100
        public var maxBodyBytes = 1024 * 1024
        /// Longest chunk-size line including extensions (RFC 9112 §7.1.1 lets us bound it).
        public var maxChunkLineBytes = 4 * 1024

        /// Limits; each defaults to the server default (see Docs/HTTP.md).
        public init(
            maxRequestLineBytes: Int = 8 * 1024, maxHeaderBytes: Int = 16 * 1024, maxHeaderCount: Int = 100,
            maxBodyBytes: Int = 1024 * 1024, maxChunkLineBytes: Int = 4 * 1024
        ) {
            self.maxRequestLineBytes = maxRequestLineBytes
            self.maxHeaderBytes = maxHeaderBytes
            self.maxHeaderCount = maxHeaderCount
            self.maxBodyBytes = maxBodyBytes
            self.maxChunkLineBytes = maxChunkLineBytes
        }
    }

    /// What `next()` produced.
    public enum Event: Sendable {
        /// The head asked for `Expect: 100-continue` and no content has arrived yet.
        case continueExpected
        /// A complete request.
        case request(HTTPRequest)
    }

    private enum State {
        case requestLine
        case fields
        case body(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case failed(HTTPParseError)
    }

    /// Parsed request-line and framing facts of the request being read.
    private struct Head {
        var method = HTTPMethod.get
        var target = ""
        var path = ""
        var query: String?
        var version = HTTPVersion.http1_1
        var authority: [UInt8]?  // from an absolute-form target
        var headers = HTTPHeaders()
        var headerBytes = 0
        var hostCount = 0
        /// The value of the (last) Host line, and whether it has the `uri-host [":" port]` form.
        var host = ""
        var hostIsValid = false
        var contentLength: Int?
        var contentLengthLines = 0
        var transferEncoding: [UInt8]?
        var expectContinue = false
        var unsupportedExpect = false
        var trailers = HTTPHeaders()
        var chunked = false
    }

    let limits: Limits
    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// How far past `readIndex` the current partial line was already searched for LF.
    private var scanned = 0
    private var state = State.requestLine
    private var head = Head()
    private var body: [UInt8] = []
    private var leadingEmptyLineBytes = 0
    private var continueDecided = false
    /// The header fields of the previous request on this connection. A client repeats most field lines
    /// verbatim (Content-Type, Signature-Key, User-Agent), so a value whose bytes equal the value at the same
    /// position last time shares that String instead of allocating a new one (see `string(_:reusing:)`).
    private var previousFields: [HTTPHeaders.Field] = []

    /// The largest header section whose fields are kept for the next request to reuse.
    static let reusableHeadBytes = 8 * 1024

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Whether no byte of a next request has been received (the connection is idle).
    var isIdle: Bool {
        if case .requestLine = state { return readIndex == buffer.count && leadingEmptyLineBytes == 0 }
        return false
    }

    /// Whether the head of the current request is complete (its content is being read).
    var isReadingBody: Bool {
        switch state {
        case .body, .chunkSize, .chunkData, .chunkDataEnd, .trailers: true
        default: false
        }
    }

    /// Bytes received but not yet consumed.
    var bufferedByteCount: Int { buffer.count - readIndex }

    /// The method and path of the request being parsed, once its request line was read.
    var currentRequestLine: (method: String, path: String)? {
        switch state {
        case .requestLine, .failed: nil
        default: (head.method.rawValue, head.path)
        }
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    private mutating func compact() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 64 * 1024)
            readIndex = 0
        } else if readIndex > 4096 && readIndex * 2 > buffer.count {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }

    /// Releases buffer memory of an idle connection above `threshold` bytes of capacity.
    mutating func shrinkIfIdle(threshold: Int = 8 * 1024) {
        if readIndex == buffer.count && buffer.capacity > threshold {
            buffer = []
            readIndex = 0
        }
    }

    /// Parses as far as the buffered bytes allow.
    public mutating func next() throws(HTTPParseError) -> Event? {
        if case .failed(let error) = state { throw error }
        do {
            return try step()
        } catch {
            state = .failed(error)
            throw error
        }
    }

    private mutating func step() throws(HTTPParseError) -> Event? {
        while true {
            switch state {
            case .failed(let error):
                throw error
            case .requestLine:
                guard let line = try nextLine(limit: limits.maxRequestLineBytes, tooLong: .requestLineTooLong)
                else { return nil }
                if line.isEmpty {
                    // RFC 9112 §2.2: ignore at least one empty line before the request line.
                    leadingEmptyLineBytes += 2
                    if leadingEmptyLineBytes > limits.maxRequestLineBytes { throw .invalidRequestLine }
                    continue
                }
                leadingEmptyLineBytes = 0
                head = Head()
                // One allocation for the field list instead of growing it 1, 2, 4, 8 (a signed request has ~7).
                head.headers.reserveCapacity(min(limits.maxHeaderCount, max(previousFields.count, 8)))
                try parseRequestLine(line)
                state = .fields
            case .fields:
                let remaining = limits.maxHeaderBytes - head.headerBytes
                guard let line = try nextLine(limit: max(remaining, 0), tooLong: .headerSectionTooLarge)
                else { return nil }
                if line.isEmpty {
                    if let event = try finishHead() { return event }
                    continue
                }
                head.headerBytes += line.count + 2
                if head.headerBytes > limits.maxHeaderBytes { throw .headerSectionTooLarge }
                if head.headers.count >= limits.maxHeaderCount { throw .tooManyHeaderFields }
                let field = try Self.parseFieldLine(line)
                let nameBytes = line[line.startIndex..<field.nameEnd]
                let valueBytes = line[field.valueRange]
                let position = head.headers.count
                let previous = position < previousFields.count ? previousFields[position] : nil
                let name = Self.string(nameBytes, reusing: previous?.name)
                let value = Self.string(valueBytes, reusing: previous?.value)
                noteField(name: nameBytes, value: valueBytes, valueString: value)
                head.headers.add(name: name, value: value)
            case .body(let remaining):
                if remaining > 0 {
                    let available = buffer.count - readIndex
                    if available == 0 { return nil }
                    let take = min(available, remaining)
                    body.append(contentsOf: buffer[readIndex..<(readIndex + take)])
                    readIndex += take
                    if take < remaining {
                        state = .body(remaining: remaining - take)
                        return nil
                    }
                }
                return .request(finishRequest())
            case .chunkSize:
                guard let line = try nextLine(limit: limits.maxChunkLineBytes, tooLong: .invalidChunkExtension)
                else { return nil }
                let size = try parseChunkSizeLine(line)
                if size == 0 {
                    head.headerBytes = 0
                    state = .trailers
                } else {
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let available = buffer.count - readIndex
                if available == 0 { return nil }
                let take = min(available, remaining)
                body.append(contentsOf: buffer[readIndex..<(readIndex + take)])
                readIndex += take
                state = take < remaining ? .chunkData(remaining: remaining - take) : .chunkDataEnd
                if take < remaining { return nil }
            case .chunkDataEnd:
                if buffer.count - readIndex < 2 {
                    if buffer.count - readIndex == 1 && buffer[readIndex] != ByteClass.cr {
                        throw .invalidChunkTerminator
                    }
                    return nil
                }
                guard buffer[readIndex] == ByteClass.cr, buffer[readIndex + 1] == ByteClass.lf else {
                    throw .invalidChunkTerminator
                }
                readIndex += 2
                state = .chunkSize
            case .trailers:
                // RFC 9112 §7.1.2: trailer section, bounded like the header section; kept apart.
                let remaining = limits.maxHeaderBytes - head.headerBytes
                guard let line = try nextLine(limit: max(remaining, 0), tooLong: .headerSectionTooLarge)
                else { return nil }
                if line.isEmpty { return .request(finishRequest()) }
                head.headerBytes += line.count + 2
                if head.headerBytes > limits.maxHeaderBytes { throw .headerSectionTooLarge }
                if head.trailers.count >= limits.maxHeaderCount { throw .tooManyHeaderFields }
                let field = try Self.parseFieldLine(line)
                head.trailers.add(name: String(decoding: line[line.startIndex..<field.nameEnd], as: UTF8.self),
                                  value: String(decoding: line[field.valueRange], as: UTF8.self))
            }
        }
    }

    /// The next CRLF-terminated line without its CRLF, or nil when incomplete.
    ///
    /// RFC 9112 §2.2: a bare CR is rejected; a bare LF is rejected too (the RFC allows accepting
    /// it, but two parsers disagreeing on line ends is how requests get smuggled).
    private mutating func nextLine(limit: Int, tooLong: HTTPParseError) throws(HTTPParseError) -> ArraySlice<UInt8>? {
        let start = readIndex
        var i = start + scanned
        let end = buffer.count
        while i < end {
            if buffer[i] == ByteClass.lf {
                // Same bound as for a partial line below, checked first, so the verdict on an
                // overlong line does not depend on how its bytes were split into reads.
                if i - start > limit + 1 { throw tooLong }
                guard i > start, buffer[i - 1] == ByteClass.cr else { throw .bareLineFeed }
                let line = buffer[start..<(i - 1)]
                if line.count > limit { throw tooLong }
                readIndex = i + 1
                scanned = 0
                return line
            }
            i += 1
        }
        scanned = i - start
        // A partial line may end with the CR of its CRLF, hence the +1.
        if scanned > limit + 1 { throw tooLong }
        return nil
    }

    // MARK: - Request line (RFC 9112 §3)

    private mutating func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) {
        guard let firstSpace = line.firstIndex(of: ByteClass.sp) else {
            throw line.contains(ByteClass.cr) ? .bareCarriageReturn : .invalidRequestLine
        }
        let methodBytes = line[line.startIndex..<firstSpace]
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(ByteClass.isTokenChar) else { throw .invalidMethod }
        let rest = line[(firstSpace + 1)...]
        guard let secondSpace = rest.firstIndex(of: ByteClass.sp) else { throw .invalidRequestLine }
        let targetBytes = rest[rest.startIndex..<secondSpace]
        let versionBytes = rest[(secondSpace + 1)...]
        guard !targetBytes.isEmpty else { throw .invalidRequestLine }
        head.version = try Self.parseVersion(versionBytes)
        head.method = Self.method(methodBytes)
        if head.method == .connect { throw .unsupportedMethod }
        for byte in targetBytes where !ByteClass.isTargetChar(byte) {
            if byte == ByteClass.cr { throw .bareCarriageReturn }
            throw byte == ByteClass.sp || byte == ByteClass.htab ? .invalidRequestLine : .invalidTarget
        }
        guard PercentDecoding.isValid(targetBytes) else { throw .invalidPercentEncoding }
        head.target = String(decoding: targetBytes, as: UTF8.self)
        try parseTarget(targetBytes)
    }

    private static func method(_ bytes: ArraySlice<UInt8>) -> HTTPMethod {
        // Avoid building a String for the two methods that carry nearly all traffic.
        if bytes.elementsEqual("GET".utf8) { return .get }
        if bytes.elementsEqual("POST".utf8) { return .post }
        return HTTPMethod(rawValue: String(decoding: bytes, as: UTF8.self))
    }

    private static func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        // RFC 9112 §2.3: HTTP-version = "HTTP" "/" DIGIT "." DIGIT (case-sensitive).
        guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8) else {
            if bytes.contains(ByteClass.sp) { throw .invalidRequestLine }
            if bytes.contains(ByteClass.cr) { throw .bareCarriageReturn }
            throw .invalidVersion
        }
        let major = bytes[bytes.startIndex + 5]
        let dot = bytes[bytes.startIndex + 6]
        let minor = bytes[bytes.startIndex + 7]
        guard ByteClass.isDigit(major), dot == UInt8(ascii: "."), ByteClass.isDigit(minor) else {
            throw .invalidVersion
        }
        let version = HTTPVersion(major: Int(major - 48), minor: Int(minor - 48))
        guard version == .http1_1 || version == .http1_0 else { throw .unsupportedVersion }
        return version
    }

    /// RFC 9112 §3.2: origin-form, absolute-form, asterisk-form (OPTIONS only); authority-form is
    /// CONNECT-only and CONNECT is refused earlier.
    private mutating func parseTarget(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) {
        if bytes.first == UInt8(ascii: "/") {
            splitPathAndQuery(bytes)
            return
        }
        if bytes.count == 1 && bytes.first == UInt8(ascii: "*") {
            guard head.method == .options else { throw .invalidTarget }
            head.path = "*"
            return
        }
        // absolute-form: scheme "://" authority path-abempty [ "?" query ]
        let lowered = bytes.prefix(8).map(ByteClass.lower)
        let schemeLength: Int
        if lowered.starts(with: "http://".utf8) {
            schemeLength = 7
        } else if lowered.starts(with: "https://".utf8) {
            schemeLength = 8
        } else {
            throw .invalidTarget
        }
        let afterScheme = bytes.dropFirst(schemeLength)
        let authorityEnd = afterScheme.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }
            ?? afterScheme.endIndex
        let authority = afterScheme[afterScheme.startIndex..<authorityEnd]
        // RFC 9110 §4.2.4: userinfo is deprecated; an "@" in the authority is refused outright.
        guard !authority.isEmpty, !authority.contains(UInt8(ascii: "@")) else { throw .invalidTarget }
        head.authority = Array(authority)
        let rest = afterScheme[authorityEnd...]
        if rest.first == UInt8(ascii: "/") {
            splitPathAndQuery(rest)
        } else {
            head.path = "/"
            if rest.first == UInt8(ascii: "?") { head.query = String(decoding: rest.dropFirst(), as: UTF8.self) }
        }
    }

    private mutating func splitPathAndQuery(_ bytes: ArraySlice<UInt8>) {
        if let mark = bytes.firstIndex(of: UInt8(ascii: "?")) {
            head.path = String(decoding: bytes[bytes.startIndex..<mark], as: UTF8.self)
            head.query = String(decoding: bytes[(mark + 1)...], as: UTF8.self)
        } else {
            head.path = head.target.utf8.count == bytes.count ? head.target : String(decoding: bytes, as: UTF8.self)
            head.query = nil
        }
    }

    // MARK: - Field lines (RFC 9112 §5)

    /// Splits and validates `field-name ":" OWS field-value OWS`.
    static func parseFieldLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (nameEnd: Int, valueRange: Range<Int>) {
        guard let first = line.first else { throw .invalidFieldName }
        // RFC 9112 §5.2: obs-fold (a line starting with whitespace) is rejected with 400.
        if ByteClass.isWhitespace(first) { throw .obsoleteLineFolding }
        var colon = line.startIndex
        while colon < line.endIndex && line[colon] != UInt8(ascii: ":") {
            let byte = line[colon]
            if !ByteClass.isTokenChar(byte) {
                if ByteClass.isWhitespace(byte) {
                    // RFC 9112 §5.1: no whitespace between field name and colon; MUST reject (400).
                    var j = colon
                    while j < line.endIndex && ByteClass.isWhitespace(line[j]) { j += 1 }
                    if j < line.endIndex && line[j] == UInt8(ascii: ":") { throw .whitespaceBeforeColon }
                }
                if byte == ByteClass.cr { throw .bareCarriageReturn }
                throw .invalidFieldName
            }
            colon += 1
        }
        guard colon < line.endIndex, colon > line.startIndex else { throw .invalidFieldName }
        var valueStart = colon + 1
        var valueEnd = line.endIndex
        while valueStart < valueEnd && ByteClass.isWhitespace(line[valueStart]) { valueStart += 1 }
        while valueEnd > valueStart && ByteClass.isWhitespace(line[valueEnd - 1]) { valueEnd -= 1 }
        var i = valueStart
        while i < valueEnd {
            let byte = line[i]
            if !ByteClass.isFieldValueChar(byte) {
                throw byte == ByteClass.cr ? .bareCarriageReturn : .invalidFieldValue
            }
            i += 1
        }
        return (colon, valueStart..<valueEnd)
    }

    /// `bytes` decoded as UTF-8 (invalid sequences repaired, as `String(decoding:as:)` does), returning
    /// `candidate` itself when its UTF-8 is exactly `bytes`: decoding those bytes would give an equal String.
    /// Strings of up to 15 bytes are stored inline and cost nothing to make, so they are not compared.
    static func string(_ bytes: ArraySlice<UInt8>, reusing candidate: String?) -> String {
        if bytes.count > 15, let candidate, candidate.utf8.count == bytes.count {
            // memcmp: a byte loop here cost more than the allocation it saves (hk-bench, 500 bytes per request).
            let same = candidate.utf8.withContiguousStorageIfAvailable { stored in
                bytes.withUnsafeBufferPointer { received in
                    guard let left = stored.baseAddress, let right = received.baseAddress else { return false }
                    return memcmp(left, right, received.count) == 0
                }
            }
            if same == true { return candidate }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `bytes`, ASCII-lowercased, are `lowercaseLiteral` (a field name or token written in lowercase).
    static func equalsIgnoringASCIICase(_ bytes: ArraySlice<UInt8>, _ lowercaseLiteral: String) -> Bool {
        bytes.count == lowercaseLiteral.utf8.count
            && zip(bytes, lowercaseLiteral.utf8).allSatisfy { ByteClass.lower($0) == $1 }
    }

    /// Records the fields that decide framing and routing, compared case-insensitively.
    private mutating func noteField(name: ArraySlice<UInt8>, value: ArraySlice<UInt8>, valueString: String) {
        func named(_ literal: String) -> Bool { Self.equalsIgnoringASCIICase(name, literal) }
        switch name.count {
        case 4 where named("host"):
            head.hostCount += 1
            // Checked here, on the received bytes, so that no copy of them is kept; only the verdict of a
            // request's single Host line is used (a second one is refused in `finishHead`).
            head.hostIsValid = Self.isValidHost(value)
            head.host = valueString
        case 14 where named("content-length"):
            head.contentLengthLines += 1
            head.contentLength = Self.parseContentLength(value)
        case 17 where named("transfer-encoding"):
            // Several lines combine into one list (RFC 9110 §5.3).
            if head.transferEncoding == nil {
                head.transferEncoding = Array(value)
            } else {
                head.transferEncoding?.append(UInt8(ascii: ","))
                head.transferEncoding?.append(contentsOf: value)
            }
        case 6 where named("expect"):
            if Self.equalsIgnoringASCIICase(value, "100-continue") {
                head.expectContinue = true
            } else {
                head.unsupportedExpect = true
            }
        default:
            break
        }
    }

    /// RFC 9110 §8.6: Content-Length = 1*DIGIT. Returns -1 for an invalid value, Int.max when
    /// too large to represent (it is then larger than any body limit).
    private static func parseContentLength(_ value: ArraySlice<UInt8>) -> Int {
        guard !value.isEmpty else { return -1 }
        var result = 0
        for byte in value {
            guard ByteClass.isDigit(byte) else { return -1 }
            let (times10, o1) = result.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(byte - 48))
            if o1 || o2 { result = Int.max } else { result = sum }
        }
        return result
    }

    /// Applies the header-section rules once the empty line arrived and decides the framing.
    private mutating func finishHead() throws(HTTPParseError) -> Event? {
        // RFC 9112 §3.2: exactly one Host in HTTP/1.1; never more than one.
        if head.hostCount > 1 { throw .multipleHost }
        if head.hostCount == 0 && head.version == .http1_1 { throw .missingHost }
        if head.hostCount == 1 && !head.hostIsValid { throw .invalidHost }
        if let authority = head.authority {
            // RFC 9112 §3.2.2 says to prefer the target's authority; we refuse a disagreement
            // instead, so no component behind us can pick the other one.
            guard head.hostCount == 1,
                authority.count == head.host.utf8.count,
                zip(authority, head.host.utf8).allSatisfy({ ByteClass.lower($0) == ByteClass.lower($1) })
            else { throw .hostMismatch }
        }
        if head.unsupportedExpect { throw .unsupportedExpectation }
        if let te = head.transferEncoding {
            // RFC 9112 §6.1: a server MAY reject TE in a 1.0 request; we must, as 1.0 lacks chunked.
            if head.version == .http1_0 { throw .transferEncodingInHTTP10 }
            // RFC 9112 §6.3: both present is a smuggling attempt; reject and close.
            if head.contentLengthLines > 0 { throw .contentLengthWithTransferEncoding }
            try Self.checkTransferEncoding(te)
            head.chunked = true
        } else if head.contentLengthLines > 0 {
            // Strict: a second Content-Length line is refused even when identical, and a list
            // value ("5, 5") fails the 1*DIGIT grammar (RFC 9112 §6.3 allows rejecting both).
            guard head.contentLengthLines == 1, let length = head.contentLength, length >= 0 else {
                throw .invalidContentLength
            }
            if length > limits.maxBodyBytes { throw .contentTooLarge }
        }
        body = []
        continueDecided = false
        if head.chunked {
            state = .chunkSize
        } else {
            let length = head.contentLength ?? 0
            state = .body(remaining: length)
            // Reserve only what a slow client cannot abuse: the declared length is a claim, not bytes.
            if length > 0 { body.reserveCapacity(min(length, 64 * 1024)) }
        }
        let hasContent = head.chunked || (head.contentLength ?? 0) > 0
        // RFC 9110 §10.1.1: only HTTP/1.1 clients get 100 Continue; skip it if content is here.
        if head.expectContinue && head.version == .http1_1 && hasContent && readIndex == buffer.count {
            return .continueExpected
        }
        return nil
    }

    /// Accepts exactly `chunked` (case-insensitive, optional surrounding whitespace).
    private static func checkTransferEncoding(_ value: [UInt8]) throws(HTTPParseError) {
        let codings = value.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { part in
            part.drop(while: ByteClass.isWhitespace).reversed().drop(while: ByteClass.isWhitespace).reversed()
                .map(ByteClass.lower)
        }
        for coding in codings {
            // Parameters (";q=") and empty members are malformed for our purposes.
            guard !coding.isEmpty, coding.allSatisfy(ByteClass.isTokenChar) else { throw .invalidTransferEncoding }
        }
        guard let last = codings.last, last.elementsEqual("chunked".utf8) else { throw .invalidTransferEncoding }
        if codings.count > 1 {
            // "chunked, chunked" is malformed (RFC 9112 §7: chunked must not be applied twice);
            // any other coding before chunked is one we do not implement.
            if codings.dropLast().contains(where: { $0.elementsEqual("chunked".utf8) }) {
                throw .invalidTransferEncoding
            }
            throw .unsupportedTransferCoding
        }
    }

    /// `uri-host [ ":" port ]` (RFC 3986 §3.2.2): reg-name chars, or an IP-literal in brackets.
    private static func isValidHost(_ host: ArraySlice<UInt8>) -> Bool {
        guard !host.isEmpty else { return false }
        var hostPart = host
        var port: ArraySlice<UInt8> = []
        if host.first == UInt8(ascii: "[") {
            guard let close = host.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = host[(host.startIndex + 1)..<close]
            guard !literal.isEmpty,
                literal.allSatisfy({ PercentDecoding.hexValue($0) != nil || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") })
            else { return false }
            let after = host[(close + 1)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else { return false }
                port = after.dropFirst()
            }
            return port.allSatisfy(ByteClass.isDigit) && port.count <= 5
        }
        if let colon = host.firstIndex(of: UInt8(ascii: ":")) {
            hostPart = host[..<colon]
            port = host[(colon + 1)...]
        }
        guard !hostPart.isEmpty, port.count <= 5, port.allSatisfy(ByteClass.isDigit) else { return false }
        return hostPart.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "%"), UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"),
                UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
                UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
                true
            default: false
            }
        }
    }

    // MARK: - Chunked content (RFC 9112 §7.1)

    /// `chunk-size [ chunk-ext ]`; returns the size, enforcing the body limit as it grows.
    private mutating func parseChunkSizeLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        var i = line.startIndex
        var size = 0
        while i < line.endIndex, let digit = PercentDecoding.hexValue(line[i]) {
            let (shifted, overflow) = size.multipliedReportingOverflow(by: 16)
            // Anything that overflows is far beyond the body limit.
            if overflow { throw .contentTooLarge }
            size = shifted + Int(digit)
            if size > limits.maxBodyBytes { throw .contentTooLarge }
            i += 1
        }
        guard i > line.startIndex else { throw .invalidChunkSize }
        if body.count + size > limits.maxBodyBytes { throw .contentTooLarge }
        try Self.checkChunkExtensions(line[i...])
        return size
    }

    /// `chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] )`; values are ignored.
    private static func checkChunkExtensions(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) {
        var i = bytes.startIndex
        let end = bytes.endIndex
        func skipWhitespace() { while i < end && ByteClass.isWhitespace(bytes[i]) { i += 1 } }
        var afterSize = true
        while true {
            let beforeWhitespace = i
            skipWhitespace()
            if i == end {
                // BWS is allowed only before ";" (RFC 9112 §7.1.1): "5 " or "5;a=b " is malformed.
                guard i == beforeWhitespace else { throw afterSize ? .invalidChunkSize : .invalidChunkExtension }
                return
            }
            afterSize = false
            guard bytes[i] == UInt8(ascii: ";") else {
                throw bytes[i] == ByteClass.cr ? .bareCarriageReturn : .invalidChunkSize
            }
            i += 1
            skipWhitespace()
            let nameStart = i
            while i < end && ByteClass.isTokenChar(bytes[i]) { i += 1 }
            guard i > nameStart else { throw .invalidChunkExtension }
            // BWS after the name belongs to an "=" that follows; otherwise it is handed back, so
            // that "5;a " is refused like "5;a=b " (found by the llhttp differential).
            let nameEnd = i
            skipWhitespace()
            if i < end && bytes[i] == UInt8(ascii: "=") {
                i += 1
                skipWhitespace()
                guard i < end else { throw .invalidChunkExtension }
                if bytes[i] == UInt8(ascii: "\"") {
                    // quoted-string with quoted-pair (RFC 9110 §5.6.4)
                    i += 1
                    var closed = false
                    while i < end {
                        let b = bytes[i]
                        if b == UInt8(ascii: "\"") { closed = true; i += 1; break }
                        if b == UInt8(ascii: "\\") {
                            i += 1
                            guard i < end, ByteClass.isFieldValueChar(bytes[i]) else { throw .invalidChunkExtension }
                        } else if !ByteClass.isFieldValueChar(b) {
                            throw .invalidChunkExtension
                        }
                        i += 1
                    }
                    guard closed else { throw .invalidChunkExtension }
                } else {
                    let valueStart = i
                    while i < end && ByteClass.isTokenChar(bytes[i]) { i += 1 }
                    guard i > valueStart else { throw .invalidChunkExtension }
                }
            } else {
                i = nameEnd
            }
        }
    }

    private mutating func finishRequest() -> HTTPRequest {
        let request = HTTPRequest(
            method: head.method, target: head.target, path: head.path, query: head.query,
            version: head.version, headers: head.headers, body: body, trailers: head.trailers)
        body = []
        // Kept only for a head of ordinary size, as the idle buffer is (`shrinkIfIdle`): an idle connection
        // must not pin up to `maxHeaderBytes` of Strings.
        previousFields = head.headerBytes <= Self.reusableHeadBytes ? head.headers.fields : []
        head = Head()
        state = .requestLine
        return request
    }
}
