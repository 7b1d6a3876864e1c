import Testing

@testable import HTTPKit

/// Holds the allocation-saving paths of the request parser and header lookups to the code they replace: a parser
/// that reuses the previous request's field Strings, the Host check made on the received bytes, the array-free
/// `Connection` token scan and the single-line field lookups give the same answers, byte for byte, over generated
/// inputs.
@Suite("Header allocation paths agree with the general ones")
struct HeaderAllocationEquivalenceTests {
    typealias Generator = SplitMix

    /// A comparable parse outcome: each request's head and fields as exact bytes, or the error.
    enum Outcome: Equatable {
        case requests([[[UInt8]]])
        case failure(HTTPParseError)
    }

    static func bytes(_ request: HTTPRequest) -> [[UInt8]] {
        var lines: [[UInt8]] = [Array(request.method.rawValue.utf8), Array(request.target.utf8), request.body]
        for field in request.headers { lines.append(Array(field.name.utf8) + [0] + Array(field.value.utf8)) }
        return lines
    }

    /// Parses every request in `input` with one parser, as a keep-alive connection would.
    static func parseAll(_ input: [UInt8]) -> Outcome {
        var parser = HTTPRequestParser()
        parser.append(input)
        var requests: [[[UInt8]]] = []
        do {
            while let event = try parser.next() {
                if case .request(let request) = event { requests.append(bytes(request)) }
            }
        } catch {
            return .failure(error)
        }
        return .requests(requests)
    }

    static let names = ["Content-Type", "Signature-Key", "X-Long-Field-Name-Over-Fifteen", "Accept", "signature"]
    static let values = [
        "application/json", "application/jsoN", "application/json+x", "sig=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:",
        "sig=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB:", "short", "", "a-value-of-exactly-16", "caf\u{E9}-over-fifteen",
    ]

    /// A field value: one of the repeated ones, a fresh one, or one with obs-text bytes (not valid UTF-8).
    static func value(_ g: inout Generator) -> [UInt8] {
        switch g.next() % 7 {
        case 0: return Array(repeating: UInt8(ascii: "v"), count: Int(g.next() % 40))
        case 6:
            // A head over `reusableHeadBytes`: its fields are not kept for the next request.
            return Array(repeating: UInt8(ascii: "w"), count: HTTPRequestParser.reusableHeadBytes + Int(g.next() % 3))
        case 1: return Array("over-fifteen-bytes-".utf8) + [g.pick([0x80, 0xC3, 0xFF, 0xE9])] + Array("-tail".utf8)
        default: return Array(g.pick(values).utf8)
        }
    }

    static func request(_ g: inout Generator) -> [UInt8] {
        var out = Array("POST /token HTTP/1.1\r\nHost: ma.example\r\n".utf8)
        for _ in 0..<Int(g.next() % 6) {
            out += Array(g.pick(names).utf8) + Array(": ".utf8) + value(&g) + Array("\r\n".utf8)
        }
        out += Array("Content-Length: 2\r\n\r\n{}".utf8)
        return out
    }

    @Test("A keep-alive parser gives each request the fields a fresh parser gives it", arguments: 0..<4)
    func reusedFieldStringsMatchFreshParses(seedIndex: Int) {
        var g = Generator(state: 0x5EED_0000 + UInt64(seedIndex))
        for _ in 0..<150 {
            let requests = (0..<Int(1 + g.next() % 5)).map { _ in Self.request(&g) }
            var expected: [[[UInt8]]] = []
            var expectedError: HTTPParseError?
            for request in requests {
                switch Self.parseAll(request) {
                case .requests(let parsed): expected += parsed
                case .failure(let error): expectedError = expectedError ?? error
                }
                if expectedError != nil { break }
            }
            let together = Self.parseAll(requests.flatMap { $0 })
            if let expectedError {
                #expect(together == .failure(expectedError))
            } else {
                #expect(together == .requests(expected))
            }
        }
    }

    @Test("A value reused from the previous request keeps its exact bytes, including longer and shorter ones")
    func reusedValuesAcrossSizes() throws {
        var parser = HTTPRequestParser()
        let long = String(repeating: "k", count: 300)
        for value in ["application/json", "application/json", long, long + "x", long, "application/jsom", "tiny"] {
            parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\nX-Field: \(value)\r\n\r\n".utf8))
            guard case .request(let request) = try #require(try parser.next()) else {
                Issue.record("expected a request")
                return
            }
            #expect(Array(try #require(request.headers.first(name: "X-Field")).utf8) == Array(value.utf8))
        }
    }

    // MARK: Host

    /// The Host check before it moved to the received bytes (a copy of the old code, on an Array).
    static func referenceIsValidHost(_ host: [UInt8]) -> Bool {
        guard !host.isEmpty else { return false }
        var hostPart = host[...]
        var port: ArraySlice<UInt8> = []
        if host.first == UInt8(ascii: "[") {
            guard let close = host.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = host[1..<close]
            guard !literal.isEmpty,
                literal.allSatisfy({
                    PercentDecoding.hexValue($0) != nil || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".")
                })
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

    static let hostPieces = [
        "a", "ma.example", "[", "]", ":", "443", "123456", "::1", "fe80", ".", "@", "%", "\u{E9}", " ", "x_y", "[::1]",
    ]

    static func expectedOutcome(host: [UInt8], absoluteAuthority: [UInt8]?) -> HTTPParseError? {
        guard referenceIsValidHost(host) else { return .invalidHost }
        if let authority = absoluteAuthority {
            let same =
                authority.count == host.count
                && zip(authority, host).allSatisfy { ByteClass.lower($0) == ByteClass.lower($1) }
            if !same { return .hostMismatch }
        }
        return nil
    }

    @Test("Host values are judged as by the copy of the old check, also against an absolute-form authority")
    func hostVerdictsMatchReference() {
        var g = Generator(state: 0x4057)
        for _ in 0..<1500 {
            let host = Array((0..<Int(g.next() % 4)).map { _ in g.pick(Self.hostPieces) }.joined().utf8)
            // A valid authority (no "@", not empty) that sometimes equals the Host up to case.
            let authority: [UInt8]? =
                switch g.next() % 3 {
                case 0: nil
                case 1:
                    host.isEmpty || host.contains(UInt8(ascii: "@")) || host.contains(UInt8(ascii: "%"))
                        || host.contains(UInt8(ascii: "?"))
                        ? nil : host.map { g.next() % 2 == 0 ? $0 : ByteClass.lower($0) }
                default: Array("ma.example".utf8)
                }
            let target = authority.map { Array("http://".utf8) + $0 + Array("/p".utf8) } ?? Array("/p".utf8)
            // Hosts that are not valid field values or request targets fail earlier for other reasons: skip them.
            guard host.allSatisfy(ByteClass.isFieldValueChar), host.first != UInt8(ascii: " "),
                host.last != UInt8(ascii: " "), target.allSatisfy(ByteClass.isTargetChar)
            else { continue }
            var parser = HTTPRequestParser()
            parser.append(
                Array("GET ".utf8) + target + Array(" HTTP/1.1\r\nHost: ".utf8) + host + Array("\r\n\r\n".utf8))
            let outcome: HTTPParseError?
            do { outcome = try parser.next() == nil ? .invalidRequestLine : nil } catch { outcome = error }
            #expect(outcome == Self.expectedOutcome(host: host, absoluteAuthority: authority), "host \(host)")
        }
    }

    // MARK: Connection tokens

    /// `wantsKeepAlive` before it stopped building arrays (a copy of the old code).
    static func referenceWantsKeepAlive(_ headers: HTTPHeaders, version: HTTPVersion) -> Bool {
        let tokens = headers.values(for: "Connection").flatMap { $0.split(separator: ",") }
        func has(_ token: String) -> Bool {
            tokens.contains { HTTPHeaders.namesEqual(String($0.trimmingASCIIWhitespace()), token) }
        }
        if version == .http1_0 { return has("keep-alive") && !has("close") }
        return !has("close")
    }

    static let connectionPieces = [
        "close", "Close", "keep-alive", "KEEP-ALIVE", "upgrade", ",", ", ", " ,", "\t", " ", ",\u{301}", "e\u{301}",
        "clos", "closed", "\u{301}", "close\u{301}", ",,", "k",
    ]

    @Test("Connection tokens are found as by splitting into arrays, for both versions")
    func connectionTokensMatchReference() {
        var g = Generator(state: 0xC044)
        for _ in 0..<3000 {
            var headers = HTTPHeaders()
            for _ in 0..<Int(g.next() % 3) {
                let value = (0..<Int(g.next() % 5)).map { _ in g.pick(Self.connectionPieces) }.joined()
                headers.add(name: g.pick(["Connection", "connection", "Connectio", "X"]), value: value)
            }
            for version in [HTTPVersion.http1_0, .http1_1] {
                var request = HTTPRequest(method: .get, target: "/", version: version)
                request.headers = headers
                #expect(request.wantsKeepAlive == Self.referenceWantsKeepAlive(headers, version: version))
            }
            let reference = headers.values(for: "Connection").contains { value in
                value.split(separator: ",").contains {
                    HTTPHeaders.namesEqual(String($0.trimmingASCIIWhitespace()), "close")
                }
            }
            #expect(headers.listContains("close", inFieldsNamed: "Connection") == reference)
        }
    }

    // MARK: Single-line lookups

    @Test("firstValueAndCount and combinedValue agree with values(for:)")
    func singleLineLookupsMatchValues() {
        var g = Generator(state: 0xF1E1D)
        for _ in 0..<1000 {
            var headers = HTTPHeaders()
            for _ in 0..<Int(g.next() % 5) {
                headers.add(
                    name: g.pick(["A", "a", "B", "Content-Digest", "content-digest"]), value: g.pick(Self.values))
            }
            for name in ["a", "B", "CONTENT-DIGEST", "missing"] {
                let all = headers.values(for: name)
                let (first, count) = headers.firstValueAndCount(for: name)
                #expect(count == all.count)
                #expect(first.map { Array($0.utf8) } == all.first.map { Array($0.utf8) })
                let combined = headers.combinedValue(for: name)
                #expect(
                    combined.map { Array($0.utf8) } == (all.isEmpty ? nil : Array(all.joined(separator: ", ").utf8)))
            }
        }
    }

    static func components(_ headers: HTTPHeaders, fromList: Bool) -> SignedRequestComponents {
        fromList
            ? SignedRequestComponents(
                method: "POST", scheme: "https", authority: "ma.example", path: "/token", query: nil, headers: headers)
            : SignedRequestComponents(
                method: "POST", scheme: "https", authority: "ma.example", path: "/token", query: nil,
                fieldValues: { headers.values(for: $0) })
    }

    static func baseOutcome(_ component: ComponentIdentifier, _ request: SignedRequestComponents) -> String {
        do {
            return "ok " + (try SignatureBase.fieldValue(of: component, in: request, types: [:]))
        } catch {
            return "error \(error)"
        }
    }

    @Test("Components made from a header list give the same field values as a values(for:) closure")
    func componentsFromHeadersMatchClosure() throws {
        var g = Generator(state: 0xC0C0)
        let components = [
            try ComponentIdentifier("content-type"), try ComponentIdentifier("x"),
            try ComponentIdentifier("x", parameters: ["bs": .boolean(true)]),
            try ComponentIdentifier("x", parameters: ["sf": .boolean(true)]),
            try ComponentIdentifier("x", parameters: ["key": .string("a")]),
        ]
        let pieces = ["a=1", "b=(1 2)", "  a=2  ", "text", "", "a=:AAAA:", "a=1, b=2", "\u{E9}"]
        for _ in 0..<800 {
            var headers = HTTPHeaders()
            for _ in 0..<Int(g.next() % 4) {
                headers.add(name: g.pick(["X", "x", "Content-Type", "y"]), value: g.pick(pieces))
            }
            let viaList = Self.components(headers, fromList: true)
            let viaClosure = Self.components(headers, fromList: false)
            for name in ["x", "content-type", "y", "signature"] {
                #expect(viaList.fieldLines(name).all == viaClosure.fieldValues(name))
                #expect(viaClosure.fieldLines(name).all == viaClosure.fieldValues(name))
            }
            for component in components {
                #expect(Self.baseOutcome(component, viaList) == Self.baseOutcome(component, viaClosure))
            }
        }
    }

    @Test("Replacing fieldValues on components made from headers makes the new closure the source")
    func replacedClosureWins() {
        let headers: HTTPHeaders = ["Content-Type": "application/json"]
        var request = Self.components(headers, fromList: true)
        request.fieldValues = { _ in ["text/plain"] }
        guard case .one(let line) = request.fieldLines("content-type") else {
            Issue.record("expected one line")
            return
        }
        #expect(line == "text/plain")
    }
}
