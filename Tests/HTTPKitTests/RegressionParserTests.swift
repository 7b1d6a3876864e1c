import Foundation
import Testing

@testable import HTTPKit

/// Defects found by the battery and the fuzzers; each case replays the input that exposed one.
@Suite("Regression: request parser")
struct RegressionParserTests {
    private static func firstOutcome(_ bytes: [UInt8], limits: HTTPRequestParser.Limits = .init(), step: Int? = nil)
        -> Result<Int, HTTPParseError>
    {
        var parser = HTTPRequestParser(limits: limits)
        var requests = 0
        var offset = 0
        let step = step ?? max(bytes.count, 1)
        repeat {
            let end = min(offset + step, bytes.count)
            parser.append(bytes[offset..<end])
            offset = end
            do {
                while let event = try parser.next() {
                    if case .request = event { requests += 1 }
                }
            } catch {
                return .failure(error)
            }
        } while offset < bytes.count
        return .success(requests)
    }

    /// Battery "chunk size trailing space": `5 ` and `5\t` before CRLF were accepted; BWS is only
    /// allowed before a `;` (RFC 9112 §7.1.1). The llhttp differential later found the same after an
    /// extension without a value (`5;a `), which the whitespace skip before a possible `=` swallowed.
    @Test(arguments: [
        "5 \r\n", "5\t\r\n", "5;a=b \r\n", "5;a=\"b\"\t\r\n", "5;a \r\n", "5;a\t\r\n", "5;a=tt;ttttttAtttT  \r\n",
    ])
    func whitespaceAfterChunkSizeOrExtensionIsRejected(sizeLine: String) {
        let request =
            "POST /e HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + sizeLine + "hello\r\n0\r\n\r\n"
        guard case .failure(let error) = Self.firstOutcome(Array(request.utf8)) else {
            Issue.record("accepted \(sizeLine.debugDescription)")
            return
        }
        #expect(error == .invalidChunkSize || error == .invalidChunkExtension)
        #expect(error.status.code == 400)
    }

    @Test("BWS before a chunk extension stays accepted (RFC 9112 §7.1.1)")
    func whitespaceBeforeExtensionIsAccepted() {
        let request = "POST /e HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5 ; a = b\r\nhello\r\n0\r\n\r\n"
        #expect(Self.firstOutcome(Array(request.utf8)) == .success(1))
        // And before the next ";" after a name without a value.
        let valueless = "POST /e HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;a ;b\r\nhello\r\n0\r\n\r\n"
        #expect(Self.firstOutcome(Array(valueless.utf8)) == .success(1))
    }

    /// Fuzz crash (FuzzHTTPRequestParser, split-consistency check): an overlong request line
    /// ending in a bare LF was 400 `bare_line_feed` when read at once but 414 when read in pieces.
    @Test func overlongLineVerdictDoesNotDependOnSplitting() throws {
        let bytes = [UInt8](
            try #require(
                Data(
                    base64Encoded:
                        "R0UnVCBodHRwOi8vaD9wIEhUVFAvMi4xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAHR0cDovL2g/cCBIVFRQLzIuMQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACg=="
                )))
        let limits = HTTPRequestParser.Limits(
            maxRequestLineBytes: 96, maxHeaderBytes: 256, maxHeaderCount: 8, maxBodyBytes: 64, maxChunkLineBytes: 48)
        let whole = Self.firstOutcome(bytes, limits: limits)
        #expect(whole == .failure(.requestLineTooLong))
        for step in 1...8 {
            #expect(Self.firstOutcome(bytes, limits: limits, step: step) == whole, "step \(step)")
        }
    }

    @Test("a line of exactly the limit plus a bare LF is a bare-LF error however it arrives")
    func boundaryLineWithBareLineFeed() {
        let limits = HTTPRequestParser.Limits(maxRequestLineBytes: 16)
        let bytes = Array(("GET /" + String(repeating: "a", count: 11) + "\n").utf8)  // 16 bytes + LF
        for step in [1, 2, 5, bytes.count] {
            #expect(Self.firstOutcome(bytes, limits: limits, step: step) == .failure(.bareLineFeed), "step \(step)")
        }
    }

    /// Battery "trailer bytes limit+1": the trailer budget let a line through whose bytes plus
    /// CRLF exceeded `maxHeaderBytes` by up to two (the header section was exact).
    @Test(arguments: [(39, true), (40, true), (41, false), (42, false)])
    func trailerBudgetIsExact(lineBytes: Int, accepted: Bool) {
        let limits = HTTPRequestParser.Limits(maxHeaderBytes: 40)  // the head below uses 37
        let trailer = "X-T: " + String(repeating: "t", count: lineBytes - 7) + "\r\n"  // lineBytes with CRLF
        let request =
            "POST /e HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n" + trailer + "\r\n"
        let outcome = Self.firstOutcome(Array(request.utf8), limits: limits)
        #expect(outcome == (accepted ? .success(1) : .failure(.headerSectionTooLarge)))
    }
}
