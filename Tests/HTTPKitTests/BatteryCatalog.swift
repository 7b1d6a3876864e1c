/// The raw-socket battery: every case with its exact expected statuses and connection outcome.
///
/// Routes (see `makeTestRouter`): `POST /echo` answers its content, `GET /hello` answers "hello",
/// `GET /canary` counts hits. A case ending in `.closed` must never let the canary run.
enum BatteryCatalog {
    private static let post = "POST /echo HTTP/1.1\r\nHost: test\r\n"
    private static let get = "GET /hello HTTP/1.1\r\nHost: test\r\n"
    /// A chunked body of "hello" followed by the last chunk.
    private static let chunkedHello = "5\r\nhello\r\n0\r\n\r\n"

    private static func post(_ fields: String, _ body: String = "") -> String { post + fields + "\r\n" + body }

    static let framing: [BatteryCase] = [
        // CL.TE / TE.CL in every spelling: both present is always 400 (RFC 9112 §6.3 rule 3).
        .init("CL then TE", post("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), [400], .closed),
        .init("TE then CL", post("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n", "0\r\n\r\n"), [400], .closed),
        .init(
            "TE Chunked (case) with CL", post("Content-Length: 3\r\nTransfer-Encoding: Chunked\r\n", chunkedHello),
            [400], .closed),
        .init(
            "TE xchunked with CL", post("Content-Length: 5\r\nTransfer-Encoding: xchunked\r\n", "hello"), [400], .closed
        ),
        .init(
            "TE tab chunked with CL", post("Content-Length: 5\r\nTransfer-Encoding:\tchunked\r\n", "hello"), [400],
            .closed),
        .init(
            "TE with space before colon and CL", post("Content-Length: 5\r\nTransfer-Encoding : chunked\r\n", "hello"),
            [400], .closed),
        .init(
            "TE lowercase name with CL", post("content-length: 5\r\ntransfer-encoding: chunked\r\n", "hello"), [400],
            .closed),
        .init(
            "TE chunked, identity with CL",
            post("Content-Length: 5\r\nTransfer-Encoding: chunked, identity\r\n", "hello"), [400], .closed),
        .init(
            "CL zero with TE", post("Content-Length: 0\r\nTransfer-Encoding: chunked\r\n", chunkedHello), [400], .closed
        ),
        .init(
            "TE identity with CL", post("Content-Length: 5\r\nTransfer-Encoding: identity\r\n", "hello"), [400], .closed
        ),
        // TE alone, obfuscated: only a final `chunked` frames; anything else is refused.
        .init(
            "TE CHUNKED uppercase alone", post("Transfer-Encoding: CHUNKED\r\n", chunkedHello), [200], .canary,
            body: "hello"),
        .init(
            "TE tab before chunked", post("Transfer-Encoding:\tchunked\r\n", chunkedHello), [200], .canary,
            body: "hello"),
        .init(
            "TE trailing whitespace", post("Transfer-Encoding: chunked \t\r\n", chunkedHello), [200], .canary,
            body: "hello"),
        .init("TE xchunked alone", post("Transfer-Encoding: xchunked\r\n", chunkedHello), [400], .closed),
        .init("TE chunkedx", post("Transfer-Encoding: chunkedx\r\n", chunkedHello), [400], .closed),
        .init("TE chunk", post("Transfer-Encoding: chunk\r\n", chunkedHello), [400], .closed),
        .init("TE chunked, identity", post("Transfer-Encoding: chunked, identity\r\n", chunkedHello), [400], .closed),
        .init("TE identity", post("Transfer-Encoding: identity\r\n", "hello"), [400], .closed),
        .init(
            "TE chunked twice in a list", post("Transfer-Encoding: chunked, chunked\r\n", chunkedHello), [400], .closed),
        .init(
            "TE duplicated lines", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", chunkedHello),
            [400], .closed),
        .init(
            "TE chunked then identity line",
            post("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", chunkedHello), [400], .closed),
        .init(
            "TE identity then chunked line",
            post("Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n", chunkedHello), [501], .closed),
        .init("TE gzip, chunked", post("Transfer-Encoding: gzip, chunked\r\n", chunkedHello), [501], .closed),
        .init("TE chunked with parameter", post("Transfer-Encoding: chunked;q=1\r\n", chunkedHello), [400], .closed),
        .init("TE empty list member", post("Transfer-Encoding: , chunked\r\n", chunkedHello), [400], .closed),
        .init("TE trailing comma", post("Transfer-Encoding: chunked,\r\n", chunkedHello), [400], .closed),
        .init("TE quoted", post("Transfer-Encoding: \"chunked\"\r\n", chunkedHello), [400], .closed),
        .init("TE empty value", post("Transfer-Encoding: \r\n", chunkedHello), [400], .closed),
        .init("TE with vertical tab", post("Transfer-Encoding: \u{0B}chunked\r\n", chunkedHello), [400], .closed),
        .init("TE with form feed", post("Transfer-Encoding: chunked\u{0C}\r\n", chunkedHello), [400], .closed),
        .init("TE with NUL", post("Transfer-Encoding: chunked\0\r\n", chunkedHello), [400], .closed),
        .init("TE name with vertical tab", post("Transfer-Encoding\u{0B}: chunked\r\n", chunkedHello), [400], .closed),
        .init(
            "TE folded onto next line", post("Transfer-Encoding: identity\r\n chunked\r\n", chunkedHello), [400],
            .closed),
        .init("TE as first line folded", post(" Transfer-Encoding: chunked\r\n", chunkedHello), [400], .closed),
        .init(
            "TE name with underscore is another field", post("Transfer_Encoding: chunked\r\n", chunkedHello),
            [200, 400], .closed),
        .init(
            "TE in HTTP/1.0", "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedHello, [400], .closed
        ),
        .init(
            "TE and CL in HTTP/1.0",
            "POST /echo HTTP/1.0\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello", [400], .closed),
        // Content-Length: exactly 1*DIGIT on exactly one line.
        .init("CL valid", post("Content-Length: 5\r\n", "hello"), [200], .canary, body: "hello"),
        .init("CL without space", post("Content-Length:5\r\n", "hello"), [200], .canary, body: "hello"),
        .init("CL with tabs around", post("Content-Length:\t5\t\r\n", "hello"), [200], .canary, body: "hello"),
        .init("CL upper-case name", post("CONTENT-LENGTH: 5\r\n", "hello"), [200], .canary, body: "hello"),
        .init("CL leading zeros", post("Content-Length: 005\r\n", "hello"), [200], .canary, body: "hello"),
        .init("CL duplicated identical", post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello"), [400], .closed),
        .init("CL duplicated different", post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!"), [400], .closed),
        .init("CL comma list", post("Content-Length: 5, 5\r\n", "hello"), [400], .closed),
        .init("CL trailing comma", post("Content-Length: 5,\r\n", "hello"), [400], .closed),
        .init("CL plus sign", post("Content-Length: +5\r\n", "hello"), [400], .closed),
        .init("CL negative", post("Content-Length: -1\r\n", "hello"), [400], .closed),
        .init("CL hex", post("Content-Length: 0x5\r\n", "hello"), [400], .closed),
        .init("CL exponent", post("Content-Length: 5e0\r\n", "hello"), [400], .closed),
        .init("CL decimal", post("Content-Length: 5.0\r\n", "hello"), [400], .closed),
        .init("CL empty", post("Content-Length: \r\n", "hello"), [400], .closed),
        .init("CL inner space", post("Content-Length: 1 0\r\n", "helloworld"), [400], .closed),
        .init("CL digit then letter", post("Content-Length: 5a\r\n", "hello"), [400], .closed),
        .init("CL huge", post("Content-Length: 99999999999999999999999999\r\n", "hello"), [413], .closed),
        .init("CL over the limit", post("Content-Length: 1048577\r\n", "hello"), [413], .closed),
        .init("CL name with space", post("Content Length: 5\r\n", "hello"), [400], .closed),
        .init(
            "CL shorter than body smuggles a method", post("Content-Length: 3\r\n", "abcde"), [200, 405], .swallowed),
        .init(
            "CL body holds a full request",
            post("Content-Length: 36\r\n", "GET /canary HTTP/1.1\r\nHost: test\r\n\r\n"), [200], .canary,
            body: "GET /canary HTTP/1.1\r\nHost: test\r\n\r\n"),
        .init("CL on GET is read and discarded", get + "Content-Length: 5\r\n\r\nhello", [200], .canary, body: "hello"),
        .init("no framing means no content", post(""), [200], .canary, body: ""),
    ]

    static let lines: [BatteryCase] = [
        // obs-fold, bare CR, bare LF (RFC 9112 §2.2, §5.2).
        .init("obs-fold with space", get + "X-A: a\r\n b\r\n\r\n", [400], .closed),
        .init("obs-fold with tab", get + "X-A: a\r\n\tb\r\n\r\n", [400], .closed),
        .init("bare LF line ends", "GET /hello HTTP/1.1\nHost: test\n\n", [400], .closed),
        .init("bare LF after request line", "GET /hello HTTP/1.1\nHost: test\r\n\r\n", [400], .closed),
        .init("bare LF ends the head", get + "\n", [400], .closed),
        .init("bare LF in a field value", get + "X-A: a\nb\r\n\r\n", [400], .closed),
        .init("bare CR in a field value", get + "X-A: a\rb\r\n\r\n", [400], .closed),
        .init("bare CR ends a field line", get + "X-A: a\r\r\n\r\n", [400], .closed),
        .init("bare CR in the request line", "GET /hello\rHTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("bare CR in the target", "GET /he\rllo HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("bare CR as the head end", get + "\r\r\n", [400], .closed),
        .init("leading empty line is ignored", "\r\n" + get + "\r\n", [200], .canary, body: "hello"),
        .init("leading bare LF", "\n" + get + "\r\n", [400], .closed),
        // NUL and control bytes in names, values, targets, methods.
        .init("NUL in a field value", get + "X-A: a\0b\r\n\r\n", [400], .closed),
        .init("NUL in a field name", get + "X\0A: b\r\n\r\n", [400], .closed),
        .init("NUL in the target", "GET /hel\0lo HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("NUL in the method", "GE\0T /hello HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("DEL in a field value", get + "X-A: a\u{7F}\r\n\r\n", [400], .closed),
        .init("SOH in a field value", get + "X-A: \u{01}\r\n\r\n", [400], .closed),
        .init("ESC in a field value", get + "X-A: \u{1B}[31m\r\n\r\n", [400], .closed),
        .init("HTAB in a field value", get + "X-A: a\tb\r\n\r\n", [200], .canary, body: "hello"),
        .init("obs-text in a field value", get + "X-A: caf\u{E9}\r\n\r\n", [200], .canary, body: "hello"),
        .init("DEL in the target", "GET /hel\u{7F}lo HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("non-ASCII in the target", "GET /h\u{E9}llo HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("space in a field name", get + "X A: b\r\n\r\n", [400], .closed),
        .init("empty field name", get + ": b\r\n\r\n", [400], .closed),
        .init("field line without colon", get + "X-A b\r\n\r\n", [400], .closed),
        .init("whitespace before colon", "GET /hello HTTP/1.1\r\nHost : test\r\n\r\n", [400], .closed),
        .init("tab before colon", get + "X-A\t: b\r\n\r\n", [400], .closed),
        .init("field name not a token", get + "X(A): b\r\n\r\n", [400], .closed),
        .init("field name with slash", get + "X/A: b\r\n\r\n", [400], .closed),
    ]

    static let chunks: [BatteryCase] = [
        .init("chunked valid", post("Transfer-Encoding: chunked\r\n", chunkedHello), [200], .canary, body: "hello"),
        .init(
            "chunked two chunks, upper-case hex",
            post("Transfer-Encoding: chunked\r\n", "A\r\n0123456789\r\n1\r\n!\r\n0\r\n\r\n"), [200], .canary,
            body: "0123456789!"),
        .init(
            "chunk size with leading zeros", post("Transfer-Encoding: chunked\r\n", "0005\r\nhello\r\n000\r\n\r\n"),
            [200], .canary, body: "hello"),
        .init("chunk size 0x5", post("Transfer-Encoding: chunked\r\n", "0x5\r\nhello\r\n0\r\n\r\n"), [400], .closed),
        .init("chunk size -1", post("Transfer-Encoding: chunked\r\n", "-1\r\nhello\r\n0\r\n\r\n"), [400], .closed),
        .init("chunk size +5", post("Transfer-Encoding: chunked\r\n", "+5\r\nhello\r\n0\r\n\r\n"), [400], .closed),
        .init(
            "chunk size leading space", post("Transfer-Encoding: chunked\r\n", " 5\r\nhello\r\n0\r\n\r\n"), [400],
            .closed),
        .init(
            "chunk size trailing space", post("Transfer-Encoding: chunked\r\n", "5 \r\nhello\r\n0\r\n\r\n"), [400],
            .closed),
        .init(
            "chunk size with tab", post("Transfer-Encoding: chunked\r\n", "5\t\r\nhello\r\n0\r\n\r\n"), [400], .closed),
        .init("chunk size empty", post("Transfer-Encoding: chunked\r\n", "\r\nhello\r\n0\r\n\r\n"), [400], .closed),
        .init("chunk size not hex", post("Transfer-Encoding: chunked\r\n", "g\r\nhello\r\n0\r\n\r\n"), [400], .closed),
        .init(
            "chunk size huge overflow",
            post("Transfer-Encoding: chunked\r\n", "FFFFFFFFFFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n"), [413], .closed),
        .init(
            "chunk size 2^64 wraps to zero",
            post("Transfer-Encoding: chunked\r\n", "10000000000000000\r\nhello\r\n0\r\n\r\n"), [413], .closed),
        .init(
            "chunk size over the limit", post("Transfer-Encoding: chunked\r\n", "100001\r\nhello\r\n0\r\n\r\n"), [413],
            .closed),
        .init(
            "chunk extension token", post("Transfer-Encoding: chunked\r\n", "5;ext=val\r\nhello\r\n0\r\n\r\n"), [200],
            .canary, body: "hello"),
        .init(
            "chunk extension quoted",
            post("Transfer-Encoding: chunked\r\n", "5;ext=\"a \\\"b\\\" c\"\r\nhello\r\n0\r\n\r\n"), [200], .canary,
            body: "hello"),
        .init(
            "chunk extension name only", post("Transfer-Encoding: chunked\r\n", "5;ext\r\nhello\r\n0;last\r\n\r\n"),
            [200], .canary, body: "hello"),
        .init(
            "chunk extensions several", post("Transfer-Encoding: chunked\r\n", "5;a=1;b;c=\"x\"\r\nhello\r\n0\r\n\r\n"),
            [200], .canary, body: "hello"),
        .init(
            "chunk extension empty", post("Transfer-Encoding: chunked\r\n", "5;\r\nhello\r\n0\r\n\r\n"), [400], .closed),
        .init(
            "chunk extension empty value", post("Transfer-Encoding: chunked\r\n", "5;a=\r\nhello\r\n0\r\n\r\n"), [400],
            .closed),
        .init(
            "chunk extension with space in value",
            post("Transfer-Encoding: chunked\r\n", "5;a=b c\r\nhello\r\n0\r\n\r\n"), [400], .closed),
        .init(
            "chunk extension unterminated quote",
            post("Transfer-Encoding: chunked\r\n", "5;a=\"b\r\nhello\r\n0\r\n\r\n"), [400], .closed),
        .init(
            "chunk extension with NUL", post("Transfer-Encoding: chunked\r\n", "5;a=b\0\r\nhello\r\n0\r\n\r\n"), [400],
            .closed),
        .init(
            "chunk extension with bare CR", post("Transfer-Encoding: chunked\r\n", "5;a=b\rc\r\nhello\r\n0\r\n\r\n"),
            [400], .closed),
        .init(
            "chunk extension oversize",
            post(
                "Transfer-Encoding: chunked\r\n",
                "5;a=" + String(repeating: "x", count: 5000) + "\r\nhello\r\n0\r\n\r\n"),
            [400], .closed),
        .init(
            "chunk line oversize with zeros",
            post("Transfer-Encoding: chunked\r\n", String(repeating: "0", count: 5000) + "5\r\nhello\r\n0\r\n\r\n"),
            [400], .closed),
        .init(
            "chunk data longer than its size", post("Transfer-Encoding: chunked\r\n", "5\r\nhelloX\r\n0\r\n\r\n"),
            [400], .closed),
        .init(
            "chunk data shorter than its size", post("Transfer-Encoding: chunked\r\n", "5\r\nhel\r\n0\r\n\r\n"), [400],
            .closed),
        .init(
            "chunk data ended by bare LF", post("Transfer-Encoding: chunked\r\n", "5\r\nhello\n0\r\n\r\n"), [400],
            .closed),
        .init(
            "chunk size line ended by bare LF", post("Transfer-Encoding: chunked\r\n", "5\nhello\r\n0\r\n\r\n"), [400],
            .closed),
        .init(
            "missing last chunk: canary read as a chunk size", post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n"),
            [400], .closed),
        .init(
            "last chunk without final CRLF swallows canary line",
            post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n"), [400], .closed),
        // Trailers: parsed like fields, kept apart from the head, never change framing.
        .init(
            "trailer valid", post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\nX-T: v\r\n\r\n"), [200],
            .canary, body: "hello"),
        .init(
            "trailer Content-Length does not frame",
            post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\nContent-Length: 40\r\n\r\n"), [200],
            .canary, body: "hello"),
        .init(
            "trailer Transfer-Encoding does not frame",
            post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\nTransfer-Encoding: chunked\r\n\r\n"),
            [200], .canary, body: "hello"),
        .init(
            "trailer Host is ignored", post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\nHost: evil\r\n\r\n"),
            [200], .canary, body: "hello"),
        .init(
            "trailer oversize",
            post(
                "Transfer-Encoding: chunked\r\n",
                "5\r\nhello\r\n0\r\nX-T: " + String(repeating: "t", count: 17000) + "\r\n\r\n"),
            [431], .closed),
        .init(
            "trailer obs-fold", post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\nX-T: a\r\n b\r\n\r\n"),
            [400], .closed),
        .init(
            "trailer bare LF", post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\nX-T: a\n\r\n"), [400], .closed
        ),
        .init(
            "trailer without colon", post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\nX-T a\r\n\r\n"), [400],
            .closed),
        .init(
            "trailer with NUL", post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\nX-T: a\0\r\n\r\n"), [400],
            .closed),
    ]

    static let requestLines: [BatteryCase] = [
        .init("version with trailing space", "GET /hello HTTP/1.1 \r\nHost: test\r\n\r\n", [400], .closed),
        .init("version HTTP/2.0", "GET /hello HTTP/2.0\r\nHost: test\r\n\r\n", [505], .closed),
        .init("version HTTP/0.9", "GET /hello HTTP/0.9\r\nHost: test\r\n\r\n", [505], .closed),
        .init("version HTTP/3.0", "GET /hello HTTP/3.0\r\nHost: test\r\n\r\n", [505], .closed),
        .init("version lower-case", "GET /hello http/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("version HTTP/1.10", "GET /hello HTTP/1.10\r\nHost: test\r\n\r\n", [400], .closed),
        .init("version HTTP/01.1", "GET /hello HTTP/01.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("version HTTP/1", "GET /hello HTTP/1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("version missing", "GET /hello\r\nHost: test\r\n\r\n", [400], .closed),
        .init("request line with an extra part", "GET /hello HTTP/1.1 x\r\nHost: test\r\n\r\n", [400], .closed),
        .init("double space after method", "GET  /hello HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("tabs as separators", "GET\t/hello\tHTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("leading space before method", " GET /hello HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("method not a token", "G(T /hello HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("method with at sign", "GE@T /hello HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("method lower-case is another method", "get /hello HTTP/1.1\r\nHost: test\r\n\r\n", [405], .canary),
        .init("unknown token method", "FOO /hello HTTP/1.1\r\nHost: test\r\n\r\n", [405], .canary),
        .init("CONNECT authority-form", "CONNECT test:80 HTTP/1.1\r\nHost: test:80\r\n\r\n", [501], .closed),
        .init("CONNECT origin-form", "CONNECT /hello HTTP/1.1\r\nHost: test\r\n\r\n", [501], .closed),
        .init("HTTP/1.0 without Host closes after", "GET /hello HTTP/1.0\r\n\r\n", [200], .closed, body: "hello"),
        .init(
            "HTTP/1.0 keep-alive", "GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", [200], .canary,
            body: "hello"),
        .init("HEAD", "HEAD /hello HTTP/1.1\r\nHost: test\r\n\r\n", [200], .canary, isHead: true),
        .init(
            "HEAD with Connection close", "HEAD /hello HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n", [200],
            .closed, isHead: true),
        .init("Connection close", get + "Connection: close\r\n\r\n", [200], .closed, body: "hello"),
        .init("Upgrade is ignored", get + "Connection: Upgrade\r\nUpgrade: h2c\r\n\r\n", [200], .canary, body: "hello"),
    ]

    static let targets: [BatteryCase] = [
        .init(
            "absolute-form matching Host", "GET http://test/hello HTTP/1.1\r\nHost: test\r\n\r\n", [200], .canary,
            body: "hello"),
        .init(
            "absolute-form https matching Host", "GET https://test/hello HTTP/1.1\r\nHost: test\r\n\r\n", [200],
            .canary, body: "hello"),
        .init(
            "absolute-form host case differs", "GET http://TEST/hello HTTP/1.1\r\nHost: test\r\n\r\n", [200], .canary,
            body: "hello"),
        .init(
            "absolute-form with port", "GET http://test:8080/hello HTTP/1.1\r\nHost: test:8080\r\n\r\n", [200], .canary,
            body: "hello"),
        .init("absolute-form mismatching Host", "GET http://evil/hello HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init(
            "absolute-form port mismatch", "GET http://test:81/hello HTTP/1.1\r\nHost: test:80\r\n\r\n", [400], .closed),
        .init("absolute-form with userinfo", "GET http://u@test/hello HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("absolute-form other scheme", "GET ftp://test/hello HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("absolute-form without Host", "GET http://test/hello HTTP/1.1\r\n\r\n", [400], .closed),
        .init("missing Host", "GET /hello HTTP/1.1\r\n\r\n", [400], .closed),
        .init("double Host identical", "GET /hello HTTP/1.1\r\nHost: test\r\nHost: test\r\n\r\n", [400], .closed),
        .init("double Host different", "GET /hello HTTP/1.1\r\nHost: test\r\nHost: evil\r\n\r\n", [400], .closed),
        .init("double Host in HTTP/1.0", "GET /hello HTTP/1.0\r\nHost: test\r\nHost: evil\r\n\r\n", [400], .closed),
        .init("Host with space", "GET /hello HTTP/1.1\r\nHost: te st\r\n\r\n", [400], .closed),
        .init("Host with path", "GET /hello HTTP/1.1\r\nHost: test/x\r\n\r\n", [400], .closed),
        .init("Host with userinfo", "GET /hello HTTP/1.1\r\nHost: u@test\r\n\r\n", [400], .closed),
        .init("Host with a comma list", "GET /hello HTTP/1.1\r\nHost: test, evil\r\n\r\n", [400], .closed),
        .init("asterisk-form for GET", "GET * HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("relative target", "GET hello HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("fragment in target", "GET /hello#x HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("backslash in target", "GET /hello\\x HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("invalid percent escape", "GET /hello%zz HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("truncated percent escape", "GET /hello%2 HTTP/1.1\r\nHost: test\r\n\r\n", [400], .closed),
        .init("unknown path", "GET /nothing HTTP/1.1\r\nHost: test\r\n\r\n", [404], .canary),
    ]

    static let expectations: [BatteryCase] = [
        .init(
            "100-continue then content", post("Content-Length: 5\r\nExpect: 100-continue\r\n"), [100, 200], .canary,
            body: "hello",
            continuation: "hello"),
        .init(
            "100-Continue case-insensitive", post("Content-Length: 5\r\nExpect: 100-Continue\r\n"), [100, 200], .canary,
            body: "hello",
            continuation: "hello"),
        .init(
            "100-continue chunked", post("Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n"), [100, 200], .canary,
            body: "hello",
            continuation: chunkedHello),
        .init(
            "100-continue over the limit is 413 at once", post("Content-Length: 2000000\r\nExpect: 100-continue\r\n"),
            [413], .closed),
        .init(
            "100-continue with CL and TE",
            post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n"), [400], .closed),
        .init("unknown expectation", post("Content-Length: 5\r\nExpect: 200-ok\r\n", "hello"), [417], .closed),
        .init("empty expectation", post("Content-Length: 5\r\nExpect: \r\n", "hello"), [417], .closed),
        .init(
            "100-continue listed with another", post("Content-Length: 5\r\nExpect: 100-continue, x\r\n", "hello"),
            [417], .closed),
        .init(
            "unknown expectation with CL and TE",
            post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\nExpect: x\r\n"), [417], .closed),
        .init(
            "100-continue without content gets no interim", get + "Expect: 100-continue\r\n\r\n", [200], .canary,
            body: "hello"),
        .init(
            "100-continue with zero length gets no interim", post("Content-Length: 0\r\nExpect: 100-continue\r\n"),
            [200], .canary, body: ""),
        .init(
            "Expect: 100-continue on two lines",
            post("Content-Length: 5\r\nExpect: 100-continue\r\nExpect: 100-continue\r\n"), [100, 200], .canary,
            body: "hello", continuation: "hello"),
        .init(
            "100-continue in HTTP/1.0 is ignored",
            "POST /echo HTTP/1.0\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello", [200], .closed,
            body: "hello"),
    ]

    static let pipelining: [BatteryCase] = [
        .init(
            "error on the third pipelined request", get + "\r\n" + get + "\r\n" + "GET /hello HTTP/1.1\r\n\r\n",
            [200, 200, 400], .closed),
        .init(
            "413 after a valid request", get + "\r\n" + post("Content-Length: 2000000\r\n", "x"), [200, 413], .closed),
        .init(
            "HEAD of an unknown path has no content", "HEAD /nothing HTTP/1.1\r\nHost: test\r\n\r\n", [404], .canary,
            isHead: true),
        .init(
            "HEAD with content reads and discards it",
            "HEAD /hello HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello", [200], .canary,
            isHead: true),
        .init(
            "HEAD then GET pipelined", "HEAD /hello HTTP/1.1\r\nHost: test\r\n\r\n" + get + "\r\n", [200, 200], .canary,
            isHead: true),
        .init(
            "pipelined valid requests", get + "\r\n" + get + "\r\n" + post("Content-Length: 2\r\n", "hi"),
            [200, 200, 200], .canary, body: "hi"),
        .init("error after a valid request", get + "\r\nBAD\r\n\r\n", [200, 400], .closed),
        .init("bad field after a valid request", get + "\r\n" + get + "X A: b\r\n\r\n", [200, 400], .closed),
        .init("error with keep-alive still closes", get + "Connection: keep-alive\r\nX-A: \0\r\n\r\n", [400], .closed),
        .init(
            "404 keeps the connection", "GET /nothing HTTP/1.1\r\nHost: test\r\n\r\n" + get + "\r\n", [404, 200],
            .canary),
        .init(
            "smuggled TE.CL behind a valid request",
            get + "\r\n" + post("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n", "0\r\n\r\n"), [200, 400],
            .closed),
    ]

    /// Every socket case.
    static let all: [BatteryCase] = framing + lines + chunks + requestLines + targets + expectations + pipelining
}
