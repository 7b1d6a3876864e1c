import Testing

@testable import ma_bench

@Suite("ResponseParser")
struct ResponseParserTests {
    /// Finds the head in `text` and parses it.
    private func parse(_ text: String) throws(ResponseParser.ResponseError) -> ResponseParser.Head? {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(ResponseParser.ResponseError) in
            guard let end = ResponseParser.headEnd(in: buffer, from: 0) else { return nil }
            return try ResponseParser.parseHead(UnsafeBufferPointer(rebasing: buffer[0..<end]))
        }
    }

    private func error(of text: String) -> ResponseParser.ResponseError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsStatusLengthAndLocation() throws {
        let text =
            "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nlocation:  /pending/abc \r\n"
            + "Content-Length: 12\r\n\r\n{\"status\":1}"
        let head = try #require(try parse(text))
        #expect(head.status == 202)
        #expect(head.bodyLength == 12)
        #expect(head.totalLength == text.utf8.count)
        #expect(!head.closes)
        let location = try #require(head.location)
        #expect(String(decoding: Array(text.utf8)[location], as: UTF8.self) == "/pending/abc")
    }

    @Test func incompleteHeadIsNotFound() throws {
        #expect(try parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n") == nil)
        #expect(try parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r") == nil)
    }

    @Test(arguments: 0...40)
    func headEndResumesWhereTheLastScanStopped(split: Int) {
        let bytes = Array("HTTP/1.1 200 OK\r\nA: b\r\nContent-Length: 0\r\n\r\n".utf8)
        let cut = min(split, bytes.count)
        bytes.withUnsafeBufferPointer { buffer in
            let first = ResponseParser.headEnd(in: UnsafeBufferPointer(rebasing: buffer[0..<cut]), from: 0)
            let resumed = first ?? ResponseParser.headEnd(in: buffer, from: cut - 3)
            #expect(resumed == bytes.count)
        }
    }

    @Test func connectionCloseAndHTTP10() throws {
        #expect(
            try parse("HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n")?.closes == true)
        #expect(try parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")?.closes == true)
        #expect(try parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")?.closes == false)
    }

    @Test func responsesWithoutContent() throws {
        #expect(try parse("HTTP/1.1 204 No Content\r\n\r\n")?.bodyLength == 0)
        #expect(try parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n")?.bodyLength == 0)
        let interim = try #require(try parse("HTTP/1.1 100 Continue\r\n\r\n"))
        #expect(interim.isInterim)
        #expect(try parse("HTTP/1.1 200 \r\nContent-Length: 1\r\n\r\nx")?.status == 200)
    }

    @Test(arguments: [
        ("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", ResponseParser.ResponseError.invalidStatusLine),
        ("HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", .invalidStatusLine),
        ("HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n", .invalidStatusLine),
        ("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", .invalidStatusLine),
        ("HTTP/1.1 099 Low\r\nContent-Length: 0\r\n\r\n", .invalidStatusLine),
        ("HTTP/1.1 600 High\r\nContent-Length: 0\r\n\r\n", .invalidStatusLine),
        ("HTTP/1.1 200 O\u{1}K\r\nContent-Length: 0\r\n\r\n", .invalidStatusLine),
        ("HTTP/1.1 101 Switching Protocols\r\n\r\n", .unexpectedUpgrade),
        ("HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", .invalidFieldLine),
        ("HTTP/1.1 200 OK\r\n: x\r\nContent-Length: 0\r\n\r\n", .invalidFieldLine),
        ("HTTP/1.1 200 OK\r\nA: b\nContent-Length: 0\r\n\r\n", .invalidFieldLine),
        ("HTTP/1.1 200 OK\r\nA: b\u{7F}\r\nContent-Length: 0\r\n\r\n", .invalidFieldLine),
        ("HTTP/1.1 200 OK\r\nA: b\r\n folded\r\nContent-Length: 0\r\n\r\n", .obsoleteLineFolding),
        ("HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", .invalidContentLength),
        ("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n", .invalidContentLength),
        ("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n", .invalidContentLength),
        ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", .invalidContentLength),
        ("HTTP/1.1 200 OK\r\nContent-Length: 9999999999\r\n\r\n", .invalidContentLength),
        ("HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n", .bodyTooLarge),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", .transferEncodingUnsupported),
        ("HTTP/1.1 200 OK\r\nServer: x\r\n\r\n", .missingContentLength),
    ])
    func refusesMalformedHeads(text: String, expected: ResponseParser.ResponseError) {
        #expect(error(of: text) == expected)
    }

    @Test func repeatedEqualContentLengthIsOne() throws {
        #expect(try parse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\ncontent-length: 3\r\n\r\nabc")?.bodyLength == 3)
    }

    @Test func oversizedHeadIsRefused() {
        let text =
            "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: ResponseParser.maxHeadBytes)
            + "\r\nContent-Length: 0\r\n\r\n"
        #expect(error(of: text) == .headTooLarge)
    }

    /// Arbitrary bytes either parse into a head that spans them exactly or are refused; nothing traps.
    @Test func arbitraryBytesNeverTrap() {
        var generator = SplitMix64(seed: 0x5EED)
        let pieces = Array("HTTP/1.1 200 OK\r\n\r\n:; ,Content-Length0123456789\u{0}\u{7F}\u{FF}a\t".utf8)
        for _ in 0..<20_000 {
            let count = Int(generator.next() % 80)
            var bytes = (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }
            if generator.next() % 2 == 0 { bytes = Array("HTTP/1.1 200 OK\r\n".utf8) + bytes + Array("\r\n\r\n".utf8) }
            bytes.withUnsafeBufferPointer { buffer in
                guard let end = ResponseParser.headEnd(in: buffer, from: Int(generator.next() % 8) - 4) else { return }
                if let head = try? ResponseParser.parseHead(UnsafeBufferPointer(rebasing: buffer[0..<end])) {
                    #expect(head.headLength == end)
                }
            }
        }
    }
}

/// A small deterministic generator, so a failing case can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
