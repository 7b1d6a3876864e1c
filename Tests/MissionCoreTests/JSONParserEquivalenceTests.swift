import Testing
@testable import MissionCore

/// Holds `JSONParser` to `ReferenceJSONParser` (the parser as it was before it was made cheaper):
/// on the JSON test vectors and on thousands of generated inputs, valid and broken, both must
/// accept the same inputs with identical values and refuse the rest with the same error.
@Suite struct JSONParserEquivalenceTests {
    /// The outcome of one parse, comparable exactly: strings and keys by their UTF-8 bytes (Swift's
    /// `==` on strings is canonical equivalence) and doubles by bit pattern (so -0.0 ≠ 0.0).
    enum Outcome: Equatable {
        case value(Exact)
        case error(JOSEError)
    }

    indirect enum Exact: Equatable {
        case null
        case bool(Bool)
        case integer(Int64)
        case number(UInt64)
        case string([UInt8])
        case array([Exact])
        case object([[UInt8]: Exact])

        init(_ value: JSONValue) {
            switch value {
            case .null: self = .null
            case .bool(let flag): self = .bool(flag)
            case .integer(let integer): self = .integer(integer)
            case .number(let double): self = .number(double.bitPattern)
            case .string(let text): self = .string(Array(text.utf8))
            case .array(let elements): self = .array(elements.map(Exact.init))
            case .object(let members):
                var exact: [[UInt8]: Exact] = [:]
                for (key, member) in members { exact[Array(key.utf8)] = Exact(member) }
                self = .object(exact)
            }
        }
    }

    static func outcome(new bytes: [UInt8], maxDepth: Int) -> Outcome {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        do { return .value(Exact(try parser.parseDocument())) } catch { return .error(error) }
    }

    static func outcome(reference bytes: [UInt8], maxDepth: Int) -> Outcome {
        var parser = ReferenceJSONParser(bytes: bytes, maxDepth: maxDepth)
        do { return .value(Exact(try parser.parseDocument())) } catch { return .error(error) }
    }

    /// Inputs both parsers must treat alike: the literal vectors of `JSONParserTests`, the shared
    /// AAuth vectors, a token request body and edge cases of every rule.
    static let vectors: [String] = [
        #" {"s":"a\u00e9\ud83d\ude00\n","i":-12,"d":1.5,"e":1e2,"t":true,"f":false,"n":null,"a":[1,[]],"o":{}} "#,
        #"{"a":1,"a":2}"#, #"{"a":{"b":1,"b":1}}"#, #"{"a":1}x"#, #"{"a":1,}"#, #"[1,]"#, "", " ", #"{"a"}"#,
        #"{a:1}"#, "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", #""\x""#, #""\ud800""#, #""\udc00""#,
        #""\ud800\u0041""#, "\"a\u{01}\"", #""unterminated"#, "\u{FEFF}{}", "NaN", "Infinity", "1e999",
        #"{"a":1}{"b":2}"#, #"{"iss":"a","iss":"b"}"#,
        #"{"b":true,"i":3,"one":1,"zero":0,"d":2.5,"n":null,"s":"x","a":[false,true]}"#,
        SharedVectorTests.agentJWK, SharedVectorTests.apJWKS, SharedVectorTests.body, SharedVectorTests.missionBlob,
        #"{"mission_s256":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","resource":"https://api.bench.example","scope":"read","justification":"ma-bench run-1 000000001"}"#,
        "0", "-0", "-0.0", "0e0", "0E+0", "1E-2", "-1.5e-3", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "-9223372036854775809", "123456789012345678", "1234567890123456789",
        "12345678901234567890", "00", "-01", "1.e3", "1e+", "--1", "1ee3", "4.9e-324", "1e-400",
        "1.7976931348623157e308",
        "1.8e308", "-1e999", "true", "false", "null", "truex", "nulll", "[true,false,null]", "[tru]", "[nul",
        #""\u00""#, #""\u00g0""#, #""\uD83D\uDE00""#, #""\uDBFF\uDFFF""#, #""\uD800\uDBFF""#, #""\uD800\""#,
        #""\uD800\u""#, #""\\\/\b\f\n\r\t\"""#, #""\"#, #""\u0000""#, "\"\u{7F}\"", "\"tab\there\"",
        #"{"é":1,"e\u0301":2}"#, "{\"é\":1,\"e\u{301}\":2}", #"{"\u00e9":1,"é":2}"#, #"{"":1,"":2}"#,
        "[\n\t\r 1 \n]", "{\n\"a\"\t:\r1\n}", "[1 2]", "{\"a\" 1}", "{\"a\":}", "{,}", "[,]", "{}", "[]", "[[]]",
        "\"\u{10FFFF}\"", "\"😀 é ü\"", "{\"a\":[{\"b\":[{\"c\":{}}]}]}",
    ]

    @Test(arguments: vectors)
    func vectorsMatch(text: String) {
        let bytes = Array(text.utf8)
        for maxDepth in [1, 2, 3, 16, 32] {
            #expect(Self.outcome(new: bytes, maxDepth: maxDepth) == Self.outcome(reference: bytes, maxDepth: maxDepth))
        }
    }

    @Test func invalidUTF8Matches() {
        let cases: [[UInt8]] = [
            [0x22, 0xC3, 0x28, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22], [0x22, 0x80, 0x22], [0xFF],
            [0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22], [0x7B, 0x7D, 0xC3], [0x5B, 0xEF, 0xBB, 0xBF, 0x5D], [0xC3, 0xA9],
        ]
        for bytes in cases {
            #expect(Self.outcome(new: bytes, maxDepth: 8) == Self.outcome(reference: bytes, maxDepth: 8))
        }
    }

    @Test(arguments: 0..<8)
    func generatedDocumentsMatch(seed: UInt64) {
        var generator = JSONTextGenerator(seed: seed)
        var accepted = 0
        for _ in 0..<500 {
            let document = generator.document()
            for bytes in [document, generator.mutated(document)] {
                let maxDepth = generator.below(8) == 0 ? Int(generator.below(4)) + 1 : 16
                let reference = Self.outcome(reference: bytes, maxDepth: maxDepth)
                if case .value = reference { accepted += 1 }
                #expect(
                    Self.outcome(new: bytes, maxDepth: maxDepth) == reference,
                    "seed \(seed), maxDepth \(maxDepth): \(Array(bytes))")
            }
        }
        // Both kinds must be well represented, or the comparison says little.
        #expect(accepted > 100)
        #expect(accepted < 900)
    }

    @Test(arguments: [39, 40, 41])
    func deepNestingMatches(maxDepth: Int) {
        for (open, close) in [("[", "]"), ("{\"k\":", "}"), ("[{\"k\":", "}]")] {
            for levels in [20, 40] {
                let bytes = Array(
                    (String(repeating: open, count: levels) + "1" + String(repeating: close, count: levels)).utf8)
                #expect(
                    Self.outcome(new: bytes, maxDepth: maxDepth) == Self.outcome(reference: bytes, maxDepth: maxDepth))
            }
        }
    }

    /// Every byte value at every offset of a long string and a long array of strings: the parser
    /// scans strings and checks UTF-8 eight bytes at a time, so each lane of a word must be covered.
    @Test func everyByteInEveryLaneMatches() {
        for byte in UInt8.min...UInt8.max {
            for offset in 0..<17 {
                var text = Array(#"["abcdefghijklmnopqrstuvwxyz0123456789", "abcdefgh"]"#.utf8)
                text[2 + offset] = byte
                #expect(Self.outcome(new: text, maxDepth: 4) == Self.outcome(reference: text, maxDepth: 4))
                text[40 + offset % 8] = byte
                #expect(Self.outcome(new: text, maxDepth: 4) == Self.outcome(reference: text, maxDepth: 4))
            }
        }
    }

    @Test func everyTruncationOfTheVectorsMatches() {
        for text in Self.vectors.prefix(40) {
            let bytes = Array(text.utf8)
            for end in 0..<bytes.count {
                let prefix = Array(bytes[..<end])
                #expect(Self.outcome(new: prefix, maxDepth: 16) == Self.outcome(reference: prefix, maxDepth: 16))
            }
        }
    }
}

/// Random JSON-like texts from a fixed seed (SplitMix64): mostly valid, with escapes of every
/// kind, surrogates, non-ASCII and control characters, repeated and canonically equal keys, deep
/// nesting, every number form and odd whitespace; `mutated` then breaks them.
struct JSONTextGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: UInt64) -> UInt64 { next() % bound }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(below(UInt64(items.count)))] }

    mutating func document() -> [UInt8] {
        var out: [UInt8] = []
        whitespace(&out)
        value(&out, depth: 0)
        whitespace(&out)
        return out
    }

    mutating func mutated(_ document: [UInt8]) -> [UInt8] {
        var bytes = document
        let edits = Int(below(3)) + 1
        for _ in 0..<edits {
            let position = bytes.isEmpty ? 0 : Int(below(UInt64(bytes.count)))
            switch below(6) {
            case 0: bytes = Array(bytes[..<position])  // truncation
            case 1: if !bytes.isEmpty { bytes.remove(at: position) }
            case 2:
                bytes.insert(pick(Array(#"{}[]",:"\ u0-+.eE1 "#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]), at: position)
            case 3: if !bytes.isEmpty { bytes[position] = UInt8(truncatingIfNeeded: next()) }
            case 4: if !bytes.isEmpty { bytes[position] ^= 1 << UInt8(below(8)) }
            default:
                bytes.insert(
                    contentsOf: pick([#"\u"#, #"\uD83D"#, #"\uDE00"#, "\\", "\"", "é"].map { Array($0.utf8) }),
                    at: position)
            }
        }
        return bytes
    }

    private mutating func whitespace(_ out: inout [UInt8]) {
        guard below(3) == 0 else { return }
        for _ in 0..<below(3) + 1 { out.append(pick([0x20, 0x09, 0x0A, 0x0D])) }
    }

    private mutating func value(_ out: inout [UInt8], depth: Int) {
        let kind = depth > 20 ? below(4) : below(7)
        switch kind {
        case 0: out += Array(pick(["true", "false", "null"]).utf8)
        case 1: number(&out)
        case 2, 3: string(&out)
        case 4: array(&out, depth: depth)
        default: object(&out, depth: depth)
        }
    }

    private mutating func number(_ out: inout [UInt8]) {
        if below(4) == 0 {
            out += Array(
                pick([
                    "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
                    "99999999999999999999", "1e999", "-1e999", "1e-999", "4.9e-324", "2.5e-324", "-0", "-0.0",
                    "0.1", "1.7976931348623157e308", "123456789012345678", "-123456789012345678", "000", "1.5E+2",
                ]).utf8)
            return
        }
        if below(2) == 0 { out.append(UInt8(ascii: "-")) }
        let digits = Int(below(21)) + 1
        for index in 0..<digits {
            out.append(UInt8(ascii: "0") + UInt8(index == 0 && digits > 1 ? below(9) + 1 : below(10)))
        }
        if below(4) == 0 {
            out.append(UInt8(ascii: "."))
            for _ in 0..<below(6) + 1 { out.append(UInt8(ascii: "0") + UInt8(below(10))) }
        }
        if below(4) == 0 {
            out.append(pick([UInt8(ascii: "e"), UInt8(ascii: "E")]))
            if below(2) == 0 { out.append(pick([UInt8(ascii: "+"), UInt8(ascii: "-")])) }
            for _ in 0..<below(3) + 1 { out.append(UInt8(ascii: "0") + UInt8(below(10))) }
        }
    }

    private mutating func hex(_ value: UInt32, _ out: inout [UInt8]) {
        let digits = Array((below(2) == 0 ? "0123456789abcdef" : "0123456789ABCDEF").utf8)
        out += [UInt8(ascii: "\\"), UInt8(ascii: "u")]
        for shift in stride(from: 12, through: 0, by: -4) { out.append(digits[Int(value >> UInt32(shift) & 0xF)]) }
    }

    private mutating func string(_ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if below(3) == 0 {
            // A short, likely repeated text, so that objects get duplicate and equivalent keys.
            out += Array(pick(["a", "b", "iss", "é", "e\u{301}", #"\u00e9"#, #"\u0061"#, ""]).utf8)
        } else {
            for _ in 0..<below(12) {
                switch below(12) {
                case 0: out += Array(pick([#"\""#, #"\\"#, #"\/"#, #"\b"#, #"\f"#, #"\n"#, #"\r"#, #"\t"#]).utf8)
                case 1: hex(UInt32(below(0x1_0000)), &out)
                case 2:
                    let scalar = UInt32(below(0x10_0000))
                    hex(0xD800 + (scalar >> 10), &out)
                    hex(0xDC00 + (scalar & 0x3FF), &out)
                case 3: out += Array(pick(["é", "😀", "\u{301}", "中", "\u{7F}", "\u{10FFFF}"]).utf8)
                case 4 where below(8) == 0: out.append(UInt8(below(0x20)))  // a raw control character
                default: out.append(UInt8(ascii: "a") + UInt8(below(26)))
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private mutating func array(_ out: inout [UInt8], depth: Int) {
        out.append(UInt8(ascii: "["))
        whitespace(&out)
        let count = below(5) == 0 ? 1 : below(4)
        for index in 0..<count {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            whitespace(&out)
            value(&out, depth: depth + 1)
            whitespace(&out)
        }
        out.append(UInt8(ascii: "]"))
    }

    private mutating func object(_ out: inout [UInt8], depth: Int) {
        out.append(UInt8(ascii: "{"))
        whitespace(&out)
        for index in 0..<below(6) {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            whitespace(&out)
            string(&out)
            whitespace(&out)
            out.append(UInt8(ascii: ":"))
            whitespace(&out)
            value(&out, depth: depth + 1)
            whitespace(&out)
        }
        out.append(UInt8(ascii: "}"))
    }
}
