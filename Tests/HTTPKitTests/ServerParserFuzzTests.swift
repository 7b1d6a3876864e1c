import Testing

@testable import HTTPKit

@Suite("Request parser under mutation")
struct ServerParserFuzzTests {
    static let seeds: [String] = [
        "GET /a?b=c HTTP/1.1\r\nHost: h\r\nX: y\r\n\r\n",
        "POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: h\r\n\r\n",
        "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;a=b\r\nabc\r\n0\r\nT: v\r\n\r\n",
        "GET http://h/p HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n",
    ]

    @Test(arguments: 0..<4)
    func mutatedInputsNeverCrashAndRespectLimits(seedIndex: Int) {
        var random = SplitMix(state: UInt64(seedIndex) &* 7919 &+ 1)
        let interesting: [UInt8] = Array("\r\n :;,\t\0\"%0aF-+".utf8) + [0x7F, 0x80, 0xFF]
        var limits = HTTPRequestParser.Limits()
        limits.maxRequestLineBytes = 64
        limits.maxHeaderBytes = 128
        limits.maxHeaderCount = 4
        limits.maxBodyBytes = 16
        for _ in 0..<3000 {
            var bytes = Array(Self.seeds[seedIndex].utf8)
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let position = Int.random(in: 0..<max(bytes.count, 1), using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0 where !bytes.isEmpty: bytes[position] = interesting.randomElement(using: &random)!
                case 1: bytes.insert(interesting.randomElement(using: &random)!, at: position)
                case 2 where !bytes.isEmpty: bytes.remove(at: position)
                default: bytes.insert(contentsOf: bytes[position...].prefix(8), at: position)
                }
            }
            var parser = HTTPRequestParser(limits: limits)
            var offset = 0
            var failed = false
            while offset < bytes.count && !failed {
                let step = Int.random(in: 1...16, using: &random)
                parser.append(bytes[offset..<min(offset + step, bytes.count)])
                offset += step
                do {
                    while let event = try parser.next() {
                        if case .request(let request) = event {
                            #expect(request.body.count <= limits.maxBodyBytes)
                            #expect(request.headers.count <= limits.maxHeaderCount)
                            #expect(request.path.first == "/" || request.path == "*")
                        }
                    }
                } catch {
                    failed = true
                    // A failed parser stays failed.
                    #expect(throws: error) { try parser.next() }
                }
            }
        }
    }
}
