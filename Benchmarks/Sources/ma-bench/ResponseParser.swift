/// Reads the head of one HTTP/1.1 response as the load client receives it (RFC 9112 §4, §5, §6.3), strictly:
/// anything it does not understand is an error, which the load counts as an `io` failure, never a crash.
///
/// Only what the load needs is extracted: the status, the body length, whether the server closes the
/// connection, and `Location` (a deferred proposal's pending URL).
///
/// ```swift
/// let end = ResponseParser.headEnd(in: bytes, from: 0)        // index after CRLF CRLF, or nil
/// let head = try ResponseParser.parseHead(bytes[..<end!])
/// ```
enum ResponseParser {
    /// Largest response head accepted; a longer one is an error.
    static let maxHeadBytes = 64 * 1024
    /// Largest response body accepted (HTTPClient's default limit).
    static let maxBodyBytes = 16 * 1024 * 1024

    /// What the load needs from a response head.
    struct Head: Equatable, Sendable {
        var status: Int
        /// Bytes of the head, through the empty line.
        var headLength: Int
        /// Bytes of the body that follow the head.
        var bodyLength: Int
        /// The server closes the connection after this response (`Connection: close`, or HTTP/1.0 without
        /// `keep-alive`).
        var closes: Bool
        /// Where `Location`'s value lies in the parsed bytes, if the field was present.
        var location: Range<Int>?

        /// Head plus body.
        var totalLength: Int { headLength + bodyLength }
        /// A 1xx response is interim: the final response follows it (RFC 9110 §15.2).
        var isInterim: Bool { status < 200 }
    }

    /// Why a response could not be read.
    enum ResponseError: Error, Equatable, Sendable {
        case headTooLarge
        case invalidStatusLine
        case invalidFieldLine
        /// Obsolete line folding (RFC 9112 §5.2); this client rejects it.
        case obsoleteLineFolding
        case invalidContentLength
        case bodyTooLarge
        /// `Transfer-Encoding` (chunked bodies): the MA always frames with `Content-Length`, so this client does
        /// not implement it.
        case transferEncodingUnsupported
        /// A final response without `Content-Length` would be delimited by the connection closing (RFC 9112
        /// §6.3 rule 8), which a keep-alive load cannot use.
        case missingContentLength
        /// `101 Switching Protocols`: the load never asks for an upgrade.
        case unexpectedUpgrade
    }

    /// The index just after the first CRLF CRLF at or after `start` (so a caller can resume a scan where the last
    /// one stopped, backing up 3 bytes), or nil when the head is not complete yet.
    static func headEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = max(0, start)
        while index + 3 < bytes.count {
            if bytes[index + 3] != lf {
                // The byte at index + 3 cannot end a CRLF CRLF ending at index + 3; skip ahead cheaply.
                index += bytes[index + 3] == cr ? 1 : 4
                continue
            }
            if bytes[index] == cr && bytes[index + 1] == lf && bytes[index + 2] == cr { return index + 4 }
            index += 1
        }
        return nil
    }

    /// Parses a complete head (`bytes` ends with CRLF CRLF, as `headEnd` found).
    static func parseHead(_ bytes: UnsafeBufferPointer<UInt8>) throws(ResponseError) -> Head {
        guard bytes.count <= maxHeadBytes else { throw .headTooLarge }
        // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ] CRLF.
        guard bytes.count >= 17, bytesEqual(bytes, 0..<7, "HTTP/1."),
            bytes[7] == UInt8(ascii: "0") || bytes[7] == UInt8(ascii: "1"), bytes[8] == sp,
            isDigit(bytes[9]), isDigit(bytes[10]), isDigit(bytes[11]), bytes[12] == sp
        else { throw .invalidStatusLine }
        let status = Int(bytes[9] &- 0x30) * 100 + Int(bytes[10] &- 0x30) * 10 + Int(bytes[11] &- 0x30)
        guard (100...599).contains(status) else { throw .invalidStatusLine }
        if status == 101 { throw .unexpectedUpgrade }
        var index = 13
        // reason-phrase = 1*( HTAB / SP / VCHAR / obs-text )
        while index < bytes.count, bytes[index] != cr {
            guard isFieldValueChar(bytes[index]) else { throw .invalidStatusLine }
            index += 1
        }
        guard index + 1 < bytes.count, bytes[index + 1] == lf else { throw .invalidStatusLine }
        index += 2

        let isHTTP10 = bytes[7] == UInt8(ascii: "0")
        var contentLength: Int?
        var closes = isHTTP10
        var location: Range<Int>?
        // Field lines until the empty line (RFC 9112 §5: field-name ":" OWS field-value OWS).
        while true {
            guard index + 1 < bytes.count else { throw .invalidFieldLine }
            if bytes[index] == cr {
                guard bytes[index + 1] == lf, index + 2 == bytes.count else { throw .invalidFieldLine }
                index += 2
                break
            }
            if bytes[index] == sp || bytes[index] == htab { throw .obsoleteLineFolding }
            let nameStart = index
            while index < bytes.count, isTokenChar(bytes[index]) { index += 1 }
            // RFC 9112 §5.1: no whitespace between the name and the colon.
            guard index > nameStart, index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw .invalidFieldLine
            }
            let name = nameStart..<index
            index += 1
            while index < bytes.count, bytes[index] == sp || bytes[index] == htab { index += 1 }
            let valueStart = index
            while index < bytes.count, bytes[index] != cr {
                guard isFieldValueChar(bytes[index]) else { throw .invalidFieldLine }
                index += 1
            }
            guard index + 1 < bytes.count, bytes[index + 1] == lf else { throw .invalidFieldLine }
            var valueEnd = index
            while valueEnd > valueStart, bytes[valueEnd - 1] == sp || bytes[valueEnd - 1] == htab { valueEnd -= 1 }
            index += 2
            let value = valueStart..<valueEnd

            if nameEquals(bytes, name, "content-length") {
                // RFC 9110 §8.6: Content-Length = 1*DIGIT; differing repeats are an error (RFC 9112 §6.3 rule 5).
                guard !value.isEmpty, value.count <= 9, value.allSatisfy({ isDigit(bytes[$0]) }) else {
                    throw .invalidContentLength
                }
                let length = value.reduce(0) { $0 * 10 + Int(bytes[$1] &- 0x30) }
                if let contentLength, contentLength != length { throw .invalidContentLength }
                contentLength = length
            } else if nameEquals(bytes, name, "transfer-encoding") {
                throw .transferEncodingUnsupported
            } else if nameEquals(bytes, name, "connection") {
                // RFC 9112 §9.3, §9.6: the `close` option ends the connection after this response; an HTTP/1.0
                // server keeps it only with `keep-alive`.
                if hasToken(bytes, value, "close") { closes = true }
                if isHTTP10 && hasToken(bytes, value, "keep-alive") { closes = false }
            } else if nameEquals(bytes, name, "location") {
                location = value
            }
        }

        let bodyLength: Int
        if status < 200 || status == 204 || status == 304 {
            // RFC 9112 §6.3 rule 1: these never carry content, whatever the fields say.
            bodyLength = 0
        } else {
            guard let contentLength else { throw .missingContentLength }
            guard contentLength <= maxBodyBytes else { throw .bodyTooLarge }
            bodyLength = contentLength
        }
        return Head(status: status, headLength: index, bodyLength: bodyLength, closes: closes, location: location)
    }

    // MARK: - Byte classes (RFC 9110 §5.6.2, §5.5)

    private static let cr: UInt8 = 0x0D
    private static let lf: UInt8 = 0x0A
    private static let sp: UInt8 = 0x20
    private static let htab: UInt8 = 0x09

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// `field-vchar`, obs-text, SP or HTAB.
    private static func isFieldValueChar(_ byte: UInt8) -> Bool { byte == htab || (byte >= 0x20 && byte != 0x7F) }

    /// `tchar`.
    private static func isTokenChar(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default: false
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    /// Whether the bytes in `range` are exactly `text`.
    private static func bytesEqual(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ text: StaticString)
        -> Bool
    {
        guard range.count == text.utf8CodeUnitCount, range.upperBound <= bytes.count else { return false }
        let expected = text.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] != expected[offset] { return false }
        return true
    }

    /// Whether the bytes in `range` spell `lowercaseName`, ignoring ASCII case (field names are case-insensitive,
    /// RFC 9110 §5.1).
    private static func nameEquals(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ lowercaseName: StaticString
    ) -> Bool {
        guard range.count == lowercaseName.utf8CodeUnitCount else { return false }
        let name = lowercaseName.utf8Start
        for offset in 0..<range.count where lowercased(bytes[range.lowerBound + offset]) != name[offset] {
            return false
        }
        return true
    }

    /// Whether the comma-separated list in `range` holds `token` (case-insensitive, surrounding OWS ignored).
    private static func hasToken(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ token: StaticString)
        -> Bool
    {
        var start = range.lowerBound
        while start <= range.upperBound {
            var end = start
            while end < range.upperBound, bytes[end] != UInt8(ascii: ",") { end += 1 }
            var (low, high) = (start, end)
            while low < high, bytes[low] == sp || bytes[low] == htab { low += 1 }
            while high > low, bytes[high - 1] == sp || bytes[high - 1] == htab { high -= 1 }
            if nameEquals(bytes, low..<high, token) { return true }
            start = end + 1
        }
        return false
    }
}
