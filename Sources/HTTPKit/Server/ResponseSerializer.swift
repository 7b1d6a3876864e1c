/// Turns an `HTTPResponse` into wire bytes, deriving framing itself (RFC 9112 §6).
enum ResponseSerializer {
    /// Fields the server owns; a handler's copies are dropped (never trusted).
    private static func isServerOwned(_ name: String) -> Bool {
        HTTPHeaders.namesEqual(name, "Content-Length") || HTTPHeaders.namesEqual(name, "Transfer-Encoding")
            || HTTPHeaders.namesEqual(name, "Date") || HTTPHeaders.namesEqual(name, "Connection")
            || HTTPHeaders.namesEqual(name, "Keep-Alive")
    }

    /// Whether the handler asked to close the connection after this response.
    static func asksToClose(_ response: HTTPResponse) -> Bool {
        response.headers.listContains("close", inFieldsNamed: "Connection")
    }

    /// Whether every field name is a token and every value free of CR, LF, NUL and other controls
    /// (RFC 9110 §5.5: a CR or LF in a value would split the response).
    static func isValid(_ response: HTTPResponse) -> Bool {
        guard (200...999).contains(response.status.code) else { return false }
        for byte in response.status.reasonPhrase.utf8 where !ByteClass.isFieldValueChar(byte) { return false }
        for field in response.headers {
            guard !field.name.isEmpty, field.name.utf8.allSatisfy(ByteClass.isTokenChar) else { return false }
            for byte in field.value.utf8 where !ByteClass.isFieldValueChar(byte) { return false }
        }
        return true
    }

    /// Appends the status line, fields and (unless HEAD or a bodiless status) the content.
    static func write(
        _ response: HTTPResponse, headOnly: Bool, keepAlive: Bool, http10: Bool, date: [UInt8],
        into out: inout [UInt8]
    ) {
        let forbidsBody = response.status.forbidsBody
        out.reserveCapacity(out.count + 128 + response.headers.count * 40 + (headOnly ? 0 : response.body.count))
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(response.status.code, to: &out)
        out.append(ByteClass.sp)
        out.append(contentsOf: response.status.reasonPhrase.utf8)
        out.append(contentsOf: "\r\n".utf8)
        for field in response.headers where !isServerOwned(field.name) {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        if !forbidsBody {
            // RFC 9110 §9.3.2: HEAD carries the Content-Length a GET would have.
            out.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(response.body.count, to: &out)
            out.append(contentsOf: "\r\n".utf8)
        }
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: date)
        out.append(contentsOf: "\r\n".utf8)
        if !keepAlive {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if http10 {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        if !headOnly && !forbidsBody {
            out.append(contentsOf: response.body)
        }
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(48 + value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = value
        withUnsafeMutableBytes(of: &digits) { raw in
            while v > 0 {
                raw[count] = UInt8(48 + v % 10)
                v /= 10
                count += 1
            }
            var i = count - 1
            while i >= 0 {
                out.append(raw[i])
                i -= 1
            }
        }
    }
}
