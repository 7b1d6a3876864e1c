import Testing

@testable import HTTPKit

/// Feeds `text` to a fresh parser (whole, or one byte at a time) and collects what it yields.
private func parse(
    _ text: String, limits: HTTPRequestParser.Limits = .init(), byteByByte: Bool = false
) -> (requests: [HTTPRequest], continues: Int, error: HTTPParseError?) {
    var parser = HTTPRequestParser(limits: limits)
    var requests: [HTTPRequest] = []
    var continues = 0
    let bytes = Array(text.utf8)
    let pieces: [[UInt8]] = byteByByte ? bytes.map { [$0] } : [bytes]
    for piece in pieces {
        parser.append(piece)
        do {
            while let event = try parser.next() {
                switch event {
                case .continueExpected: continues += 1
                case .request(let request): requests.append(request)
                }
            }
        } catch {
            return (requests, continues, error)
        }
    }
    return (requests, continues, nil)
}

@Suite("Request parser: accepted messages")
struct ServerParserAcceptTests {
    @Test(arguments: [false, true])
    func simpleGet(byteByByte: Bool) throws {
        let result = parse("GET /hello?x=1 HTTP/1.1\r\nHost: a.example\r\nX-Thing:  v  \r\n\r\n", byteByByte: byteByByte)
        #expect(result.error == nil)
        let request = try #require(result.requests.first)
        #expect(request.method == .get)
        #expect(request.path == "/hello")
        #expect(request.query == "x=1")
        #expect(request.target == "/hello?x=1")
        #expect(request.version == .http1_1)
        #expect(request.headers["host"] == "a.example")
        #expect(request.headers["x-thing"] == "v")
        #expect(request.body.isEmpty)
    }

    @Test(arguments: [false, true])
    func contentLengthBody(byteByByte: Bool) throws {
        let result = parse("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello", byteByByte: byteByByte)
        let request = try #require(result.requests.first)
        #expect(request.body == Array("hello".utf8))
    }

    @Test(arguments: [false, true])
    func chunkedBodyWithExtensionsAndTrailers(byteByByte: Bool) throws {
        let text = "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value;flag\r\nhello\r\n6 ; q=\"a \\\"b\"\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
        let result = parse(text, byteByByte: byteByByte)
        #expect(result.error == nil)
        let request = try #require(result.requests.first)
        #expect(request.body == Array("hello world".utf8))
        #expect(request.trailers["x-trailer"] == "t")
        #expect(request.headers["x-trailer"] == nil)
    }

    @Test
    func pipelinedRequestsComeOutInOrder() {
        let result = parse("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(result.requests.map(\.path) == ["/a", "/b"])
    }

    @Test
    func http10WithoutHostIsAccepted() throws {
        let request = try #require(parse("GET / HTTP/1.0\r\n\r\n").requests.first)
        #expect(request.version == .http1_0)
        #expect(!request.wantsKeepAlive)
    }

    @Test
    func leadingEmptyLineIsIgnored() {
        #expect(parse("\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n").requests.count == 1)
    }

    @Test
    func absoluteFormMatchingHost() throws {
        let request = try #require(parse("GET http://H.example:80/p?q HTTP/1.1\r\nHost: h.example:80\r\n\r\n").requests.first)
        #expect(request.path == "/p")
        #expect(request.query == "q")
    }

    @Test
    func asteriskFormForOptions() throws {
        let request = try #require(parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").requests.first)
        #expect(request.path == "*")
    }

    @Test
    func expectContinueIsAnnouncedBeforeContent() {
        let text = "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"
        var parser = HTTPRequestParser()
        parser.append(Array(text.utf8))
        if case .continueExpected = try? parser.next() {} else { Issue.record("expected continueExpected") }
        #expect((try? parser.next()) == nil)
        parser.append(Array("ok".utf8))
        if case .request(let request) = try? parser.next() {
            #expect(request.body == Array("ok".utf8))
        } else {
            Issue.record("expected the request")
        }
    }

    @Test
    func expectContinueSkippedWhenContentAlreadyHere() {
        let result = parse("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok")
        #expect(result.continues == 0)
        #expect(result.requests.count == 1)
    }

    @Test
    func rawHeaderOrderAndDuplicatesArePreserved() throws {
        let request = try #require(parse("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nb: 2\r\na: 3\r\n\r\n").requests.first)
        #expect(request.headers.fields.map(\.name) == ["Host", "A", "b", "a"])
        #expect(request.headers.values(for: "A") == ["1", "3"])
    }

    @Test
    func limitsAtExactlyTheBoundaryAreAccepted() {
        var limits = HTTPRequestParser.Limits()
        let line = "GET /" + String(repeating: "a", count: 10) + " HTTP/1.1"
        limits.maxRequestLineBytes = line.utf8.count
        limits.maxBodyBytes = 3
        #expect(parse(line + "\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc", limits: limits).requests.count == 1)
    }
}

@Suite("Request parser: rejections and their statuses")
struct ServerParserRejectTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let error: HTTPParseError
        var testDescription: String { name }
    }

    static let host = "Host: h\r\n"

    static let cases: [Case] = [
        Case(name: "CL and TE", text: "POST / HTTP/1.1\r\n\(host)Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", error: .contentLengthWithTransferEncoding),
        Case(name: "TE and CL", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", error: .contentLengthWithTransferEncoding),
        Case(name: "duplicate identical CL", text: "POST / HTTP/1.1\r\n\(host)Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc", error: .invalidContentLength),
        Case(name: "conflicting CL", text: "POST / HTTP/1.1\r\n\(host)Content-Length: 3\r\nContent-Length: 4\r\n\r\nabc", error: .invalidContentLength),
        Case(name: "CL list", text: "POST / HTTP/1.1\r\n\(host)Content-Length: 3, 3\r\n\r\nabc", error: .invalidContentLength),
        Case(name: "CL signed", text: "POST / HTTP/1.1\r\n\(host)Content-Length: +3\r\n\r\nabc", error: .invalidContentLength),
        Case(name: "CL negative", text: "POST / HTTP/1.1\r\n\(host)Content-Length: -1\r\n\r\n", error: .invalidContentLength),
        Case(name: "CL hex", text: "POST / HTTP/1.1\r\n\(host)Content-Length: 0x3\r\n\r\n", error: .invalidContentLength),
        Case(name: "CL empty", text: "POST / HTTP/1.1\r\n\(host)Content-Length:\r\n\r\n", error: .invalidContentLength),
        Case(name: "CL overflow", text: "POST / HTTP/1.1\r\n\(host)Content-Length: 99999999999999999999999\r\n\r\n", error: .contentTooLarge),
        Case(name: "TE gzip only", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: gzip\r\n\r\n", error: .invalidTransferEncoding),
        Case(name: "TE chunked then gzip", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked, gzip\r\n\r\n", error: .invalidTransferEncoding),
        Case(name: "TE gzip then chunked", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: gzip, chunked\r\n\r\n", error: .unsupportedTransferCoding),
        Case(name: "TE chunked twice", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", error: .invalidTransferEncoding),
        Case(name: "TE empty", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding:\r\n\r\n", error: .invalidTransferEncoding),
        Case(name: "TE in HTTP/1.0", text: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", error: .transferEncodingInHTTP10),
        Case(name: "chunk size not hex", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nzz\r\n", error: .invalidChunkSize),
        Case(name: "chunk size empty", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n\r\n", error: .invalidChunkSize),
        Case(name: "chunk size overflow", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n", error: .contentTooLarge),
        Case(name: "chunk size with sign", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n-5\r\n", error: .invalidChunkSize),
        Case(name: "chunk ext without name", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5;\r\n", error: .invalidChunkExtension),
        Case(name: "chunk ext unterminated quote", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5;a=\"x\r\n", error: .invalidChunkExtension),
        Case(name: "chunk data too long", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", error: .invalidChunkTerminator),
        Case(name: "chunk line bare LF", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n2\nab\r\n", error: .bareLineFeed),
        Case(name: "trailer obs-fold", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n0\r\nA: b\r\n c\r\n\r\n", error: .obsoleteLineFolding),
        Case(name: "obs-fold", text: "GET / HTTP/1.1\r\n\(host)X: a\r\n b\r\n\r\n", error: .obsoleteLineFolding),
        Case(name: "first field line folded", text: "GET / HTTP/1.1\r\n Host: h\r\n\r\n", error: .obsoleteLineFolding),
        Case(name: "bare CR in value", text: "GET / HTTP/1.1\r\n\(host)X: a\rb\r\n\r\n", error: .bareCarriageReturn),
        Case(name: "bare CR in request line", text: "GET /\r HTTP/1.1\r\n\(host)\r\n", error: .bareCarriageReturn),
        Case(name: "bare LF request line", text: "GET / HTTP/1.1\n\(host)\r\n", error: .bareLineFeed),
        Case(name: "bare LF field line", text: "GET / HTTP/1.1\r\nHost: h\n\r\n", error: .bareLineFeed),
        Case(name: "bare LF end of head", text: "GET / HTTP/1.1\r\nHost: h\r\n\n", error: .bareLineFeed),
        Case(name: "space before colon", text: "GET / HTTP/1.1\r\nHost : h\r\n\r\n", error: .whitespaceBeforeColon),
        Case(name: "tab before colon", text: "GET / HTTP/1.1\r\n\(host)X\t: h\r\n\r\n", error: .whitespaceBeforeColon),
        Case(name: "invalid name token", text: "GET / HTTP/1.1\r\n\(host)X(y): h\r\n\r\n", error: .invalidFieldName),
        Case(name: "empty name", text: "GET / HTTP/1.1\r\n\(host): h\r\n\r\n", error: .invalidFieldName),
        Case(name: "no colon", text: "GET / HTTP/1.1\r\n\(host)Nocolon\r\n\r\n", error: .invalidFieldName),
        Case(name: "NUL in value", text: "GET / HTTP/1.1\r\n\(host)X: a\u{0}b\r\n\r\n", error: .invalidFieldValue),
        Case(name: "DEL in value", text: "GET / HTTP/1.1\r\n\(host)X: a\u{7F}b\r\n\r\n", error: .invalidFieldValue),
        Case(name: "control char in value", text: "GET / HTTP/1.1\r\n\(host)X: a\u{1}b\r\n\r\n", error: .invalidFieldValue),
        Case(name: "missing Host", text: "GET / HTTP/1.1\r\n\r\n", error: .missingHost),
        Case(name: "two Host", text: "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", error: .multipleHost),
        Case(name: "two Host in 1.0", text: "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", error: .multipleHost),
        Case(name: "Host with space", text: "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", error: .invalidHost),
        Case(name: "Host empty", text: "GET / HTTP/1.1\r\nHost:\r\n\r\n", error: .invalidHost),
        Case(name: "Host with path", text: "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", error: .invalidHost),
        Case(name: "absolute-form mismatch", text: "GET http://evil.example/ HTTP/1.1\r\nHost: good.example\r\n\r\n", error: .hostMismatch),
        Case(name: "absolute-form userinfo", text: "GET http://u@h/ HTTP/1.1\r\nHost: h\r\n\r\n", error: .invalidTarget),
        Case(name: "invalid method token", text: "G(ET / HTTP/1.1\r\n\(host)\r\n", error: .invalidMethod),
        Case(name: "empty method", text: " / HTTP/1.1\r\n\(host)\r\n", error: .invalidMethod),
        Case(name: "double space", text: "GET  / HTTP/1.1\r\n\(host)\r\n", error: .invalidRequestLine),
        Case(name: "missing version", text: "GET /\r\n\(host)\r\n", error: .invalidRequestLine),
        Case(name: "lowercase version", text: "GET / http/1.1\r\n\(host)\r\n", error: .invalidVersion),
        Case(name: "version garbage", text: "GET / HTTP/1.x\r\n\(host)\r\n", error: .invalidVersion),
        Case(name: "version 2.0", text: "GET / HTTP/2.0\r\n\(host)\r\n", error: .unsupportedVersion),
        Case(name: "version 0.9", text: "GET / HTTP/0.9\r\n\(host)\r\n", error: .unsupportedVersion),
        Case(name: "trailing space after version", text: "GET / HTTP/1.1 \r\n\(host)\r\n", error: .invalidRequestLine),
        Case(name: "target with fragment", text: "GET /a#b HTTP/1.1\r\n\(host)\r\n", error: .invalidTarget),
        Case(name: "target with non-ASCII", text: "GET /\u{E9} HTTP/1.1\r\n\(host)\r\n", error: .invalidTarget),
        Case(name: "target relative", text: "GET a/b HTTP/1.1\r\n\(host)\r\n", error: .invalidTarget),
        Case(name: "asterisk for GET", text: "GET * HTTP/1.1\r\n\(host)\r\n", error: .invalidTarget),
        Case(name: "invalid percent escape", text: "GET /a%zz HTTP/1.1\r\n\(host)\r\n", error: .invalidPercentEncoding),
        Case(name: "truncated percent escape in query", text: "GET /a?x=%4 HTTP/1.1\r\n\(host)\r\n", error: .invalidPercentEncoding),
        Case(name: "CONNECT", text: "CONNECT h:443 HTTP/1.1\r\n\(host)\r\n", error: .unsupportedMethod),
        Case(name: "unknown expectation", text: "POST / HTTP/1.1\r\n\(host)Expect: something\r\nContent-Length: 1\r\n\r\nx", error: .unsupportedExpectation),
    ]

    @Test(arguments: cases)
    func rejected(_ testCase: Case) {
        let whole = parse(testCase.text)
        #expect(whole.error == testCase.error)
        #expect(whole.requests.isEmpty)
        let split = parse(testCase.text, byteByByte: true)
        #expect(split.error == testCase.error)
    }

    @Test
    func statusesOfTheErrors() {
        #expect(HTTPParseError.requestLineTooLong.status.code == 414)
        #expect(HTTPParseError.headerSectionTooLarge.status.code == 431)
        #expect(HTTPParseError.tooManyHeaderFields.status.code == 431)
        #expect(HTTPParseError.contentTooLarge.status.code == 413)
        #expect(HTTPParseError.unsupportedVersion.status.code == 505)
        #expect(HTTPParseError.unsupportedTransferCoding.status.code == 501)
        #expect(HTTPParseError.unsupportedExpectation.status.code == 417)
        #expect(HTTPParseError.bareLineFeed.status.code == 400)
        #expect(HTTPParseError.contentLengthWithTransferEncoding.status.code == 400)
    }

    @Test
    func requestLineLimitGives414EvenBeforeTheLineEnds() {
        var limits = HTTPRequestParser.Limits()
        limits.maxRequestLineBytes = 64
        let long = "GET /" + String(repeating: "a", count: 100)
        #expect(parse(long, limits: limits).error == .requestLineTooLong)
        #expect(parse(long + " HTTP/1.1\r\nHost: h\r\n\r\n", limits: limits).error == .requestLineTooLong)
    }

    @Test
    func headerBytesLimitGives431() {
        var limits = HTTPRequestParser.Limits()
        limits.maxHeaderBytes = 100
        let big = "GET / HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "v", count: 200)
        #expect(parse(big, limits: limits).error == .headerSectionTooLarge)
        #expect(parse(big + "\r\n\r\n", limits: limits).error == .headerSectionTooLarge)
    }

    @Test
    func headerCountLimitGives431() {
        var limits = HTTPRequestParser.Limits()
        limits.maxHeaderCount = 5
        let many = "GET / HTTP/1.1\r\nHost: h\r\n" + (0..<5).map { "X\($0): v\r\n" }.joined() + "\r\n"
        #expect(parse(many, limits: limits).error == .tooManyHeaderFields)
        let fine = "GET / HTTP/1.1\r\nHost: h\r\n" + (0..<4).map { "X\($0): v\r\n" }.joined() + "\r\n"
        #expect(parse(fine, limits: limits).requests.count == 1)
    }

    @Test
    func declaredBodyTooLargeGives413BeforeContentAndBeforeContinue() {
        var limits = HTTPRequestParser.Limits()
        limits.maxBodyBytes = 10
        let result = parse("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n", limits: limits)
        #expect(result.error == .contentTooLarge)
        #expect(result.continues == 0)
    }

    @Test
    func chunkedBodyTooLargeGives413WhileDecoding() {
        var limits = HTTPRequestParser.Limits()
        limits.maxBodyBytes = 10
        let text = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n5\r\n"
        #expect(parse(text, limits: limits).error == .contentTooLarge)
    }

    @Test
    func nothingAfterABadRequestIsParsed() {
        var parser = HTTPRequestParser()
        parser.append(Array("GET / HTTP/1.1\r\nHost : h\r\n\r\nGET /canary HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.whitespaceBeforeColon) { try parser.next() }
        #expect(throws: HTTPParseError.whitespaceBeforeColon) { try parser.next() }
    }
}
