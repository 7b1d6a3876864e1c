import Testing

@testable import HTTPKit

/// Holds the faster helpers of the signature hot path to the straightforward definitions they replaced:
/// the same answers over exhaustive small inputs and generated variants, valid and invalid.
@Suite("Message signatures: fast helpers agree with their reference definitions")
struct MessageSignatureEquivalenceTests {
    /// The shared deterministic generator (SplitMix.swift): every run checks the same variants.
    typealias Generator = SplitMix

    // MARK: Byte sequences

    /// RFC 4648 §4 decoding as first written: sextets collected, checked, then grouped.
    static func referenceDecode(_ content: [UInt8], allowsURLAlphabet: Bool) -> [UInt8]? {
        var sextets = [UInt8]()
        var padding = 0
        var sawStandard = false
        var sawURL = false
        for byte in content {
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            if padding > 0 { return nil }
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): sextets.append(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): sextets.append(byte - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sextets.append(byte - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "+"): sextets.append(62); sawStandard = true
            case UInt8(ascii: "/"): sextets.append(63); sawStandard = true
            case UInt8(ascii: "-") where allowsURLAlphabet: sextets.append(62); sawURL = true
            case UInt8(ascii: "_") where allowsURLAlphabet: sextets.append(63); sawURL = true
            default: return nil
            }
        }
        if sawStandard && sawURL { return nil }
        let tail = sextets.count % 4
        if tail == 1 { return nil }
        if padding > 0 && (padding > 2 || (sextets.count + padding) % 4 != 0) { return nil }
        var output = [UInt8]()
        var index = 0
        while index + 4 <= sextets.count {
            let n =
                UInt32(sextets[index]) << 18 | UInt32(sextets[index + 1]) << 12
                | UInt32(sextets[index + 2]) << 6 | UInt32(sextets[index + 3])
            output += [UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
            index += 4
        }
        if tail >= 2 {
            let n =
                UInt32(sextets[index]) << 18 | UInt32(sextets[index + 1]) << 12
                | (tail == 3 ? UInt32(sextets[index + 2]) << 6 : 0)
            output.append(UInt8(n >> 16 & 0xFF))
            if tail == 3 { output.append(UInt8(n >> 8 & 0xFF)) }
        }
        return output
    }

    static let base64Alphabet = Array("Az09+/-_=!".utf8)

    @Test(arguments: [false, true])
    func byteSequenceDecodingMatchesTheReferenceOnEveryShortInput(allowsURLAlphabet: Bool) {
        // Every string of up to four characters over letters, digits, both alphabets' extras, "=" and a stray.
        var inputs: [[UInt8]] = [[]]
        var frontier: [[UInt8]] = [[]]
        for _ in 1...4 {
            frontier = frontier.flatMap { prefix in Self.base64Alphabet.map { prefix + [$0] } }
            inputs += frontier
        }
        for input in inputs {
            let decoded = ByteSequenceCoding.decode(input[...], allowsURLAlphabet: allowsURLAlphabet)
            #expect(
                decoded == Self.referenceDecode(input, allowsURLAlphabet: allowsURLAlphabet),
                "\(String(decoding: input, as: UTF8.self))")
        }
    }

    @Test(arguments: [false, true])
    func byteSequenceDecodingMatchesTheReferenceOnGeneratedSignatures(allowsURLAlphabet: Bool) {
        var generator = Generator(state: allowsURLAlphabet ? 7 : 11)
        for round in 0..<600 {
            let bytes = (0..<(round % 70)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            var text = Array(ByteSequenceCoding.encode(bytes).utf8)
            // Variants: unpadded, base64url, one character changed, padding moved or doubled.
            switch round % 6 {
            case 1: text.removeAll { $0 == UInt8(ascii: "=") }
            case 2:
                text = text.map {
                    $0 == UInt8(ascii: "+") ? UInt8(ascii: "-") : $0 == UInt8(ascii: "/") ? UInt8(ascii: "_") : $0
                }
            case 3 where !text.isEmpty:
                text[Int(generator.next() % UInt64(text.count))] = generator.pick(Self.base64Alphabet)
            case 4: text.insert(UInt8(ascii: "="), at: Int(generator.next() % UInt64(text.count + 1)))
            case 5: text += Array("==".utf8)
            default: break
            }
            let decoded = ByteSequenceCoding.decode(text[...], allowsURLAlphabet: allowsURLAlphabet)
            #expect(decoded == Self.referenceDecode(text, allowsURLAlphabet: allowsURLAlphabet))
            if round % 6 == 0 { #expect(decoded == bytes) }
        }
    }

    // MARK: @authority

    /// `@authority` as first written, on Characters with Unicode lowercasing.
    static func referenceAuthority(_ authority: String, scheme: String) -> String {
        let lowered = authority.lowercased()
        let defaultPort: String
        switch scheme.lowercased() {
        case "https": defaultPort = ":443"
        case "http": defaultPort = ":80"
        default: return lowered
        }
        let hostEnd = lowered.lastIndex(of: "]") ?? lowered.startIndex
        if lowered[hostEnd...].hasSuffix(defaultPort) { return String(lowered.dropLast(defaultPort.count)) }
        return lowered
    }

    @Test func normalizedAuthorityMatchesTheReference() {
        let hosts = [
            "", "ma.example", "MA.Example", "127.0.0.1", "[::1]", "[2001:DB8::443]", "[::1]:80",
            "xn--bcher-kva.example",
            "bücher.example", "İ.example", "a\u{0301}", "]", "ma.example:", ":443", "\r\n",
        ]
        let ports = ["", ":443", ":80", ":8443", ":4430", ":80\u{0301}", ":443\r\n", "]:443", ":", "::443"]
        let schemes = ["https", "http", "HTTPS", "Http", "ftp", "", "httpsx", "htt", "ＨＴＴＰＳ", "httpſ", "hTTpS"]
        for host in hosts {
            for port in ports {
                for scheme in schemes {
                    let components = SignedRequestComponents(
                        method: "GET", scheme: scheme, authority: host + port, path: "/", query: nil,
                        fieldValues: { _ in [] })
                    #expect(
                        components.normalizedAuthority == Self.referenceAuthority(host + port, scheme: scheme),
                        "\(host + port) \(scheme)")
                }
            }
        }
    }

    // MARK: Character classes

    @Test func characterClassesMatchTheirGrammar() {
        let lowercase = Set("abcdefghijklmnopqrstuvwxyz".utf8)
        let alpha = lowercase.union("ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        let digits = Set("0123456789".utf8)
        // RFC 8941 §3.1.2 key characters; RFC 9110 §5.6.2 tchar.
        let keyCharacters = lowercase.union(digits).union("_-.*".utf8)
        let tchar = alpha.union(digits).union("!#$%&'*+-.^_`|~".utf8)
        for value in 0...255 {
            let byte = UInt8(value)
            #expect(StructuredFieldGrammar.isKeyCharacter(byte) == keyCharacters.contains(byte), "\(value)")
            #expect(StructuredFieldGrammar.isTChar(byte) == tchar.contains(byte), "\(value)")
        }
    }

    @Test func wordAtATimeScanFindsTheFirstRefusedByteAtEveryPosition() {
        let isRefused: (UInt8) -> Bool = { $0 > 0x7E || ($0 < 0x20 && $0 != 0x09) }
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 24, 33] {
            for position in 0..<max(length, 1) {
                for value in 0...255 {
                    // A clean line with one byte replaced, and a later HTAB and DEL after it.
                    var bytes = Array(repeating: UInt8(ascii: "a"), count: length)
                    guard position < length else { break }
                    bytes[position] = UInt8(value)
                    if position + 3 < length { bytes[position + 3] = 0x09 }
                    if position + 5 < length { bytes[position + 5] = 0x7F }
                    let found = bytes.withUnsafeBufferPointer(StructuredFieldGrammar.firstNonVisibleOffset)
                    #expect(found == bytes.firstIndex(where: isRefused), "\(length) \(position) \(value)")
                }
            }
            let empty = [UInt8]().withUnsafeBufferPointer(StructuredFieldGrammar.firstNonVisibleOffset)
            #expect(empty == nil)
        }
    }

    // MARK: Component identifiers

    @Test func identifierEqualityIsNameAndParameters() throws {
        let identifiers: [ComponentIdentifier] = [
            .method, .authority, .path, .query, .contentType, .contentDigest, .signatureKey, .authorization,
            try ComponentIdentifier("content-digest"), try ComponentIdentifier("content-digesu"),
            try ComponentIdentifier("x", parameters: ["sf": .boolean(true)]),
            try ComponentIdentifier("x", parameters: ["bs": .boolean(true)]), try ComponentIdentifier("x"),
            try ComponentIdentifier("x", parameters: ["key": .string("a")]),
            try ComponentIdentifier("x", parameters: ["key": .string("b")]),
            try ComponentIdentifier("@query-param", parameters: ["name": .string("a")]),
        ]
        for lhs in identifiers {
            for rhs in identifiers {
                let same = lhs.name == rhs.name && lhs.parameters == rhs.parameters
                #expect((lhs == rhs) == same, "\(lhs) \(rhs)")
                if same { #expect(lhs.hashValue == rhs.hashValue) }
            }
        }
        #expect(Set(identifiers).count == identifiers.count - 1)
    }

    // MARK: Strings

    @Test func stringsWithAndWithoutEscapesParseAsBefore() throws {
        #expect(try StructuredField.parseItem("\"plain text\"").bareItem == .string("plain text"))
        #expect(try StructuredField.parseItem("\"\"").bareItem == .string(""))
        #expect(try StructuredField.parseItem("\"a\\\"b\\\\c\"").bareItem == .string("a\"b\\c"))
        #expect(try StructuredField.parseItem("\"\\\\\"").bareItem == .string("\\"))
        // Offsets: the bad escape, the HTAB before and after an escape, and the ends without a closing quote.
        #expect(throws: StructuredFieldError.invalidEscape(offset: 3)) { try StructuredField.parseItem("\"a\\x\"") }
        #expect(throws: StructuredFieldError.unexpectedCharacter(offset: 2, expected: .stringQuote)) {
            try StructuredField.parseItem("\"a\tb\"")
        }
        #expect(throws: StructuredFieldError.unexpectedCharacter(offset: 3, expected: .stringQuote)) {
            try StructuredField.parseItem("\"\\\\\tb\"")
        }
        #expect(throws: StructuredFieldError.unexpectedEnd(expected: .stringQuote)) {
            try StructuredField.parseItem("\"abc")
        }
        #expect(throws: StructuredFieldError.unexpectedEnd(expected: .stringQuote)) {
            try StructuredField.parseItem("\"a\\\"")
        }
        #expect(throws: StructuredFieldError.unexpectedEnd(expected: .stringQuote)) {
            try StructuredField.parseItem("\"a\\")
        }
    }

    @Test func generatedStringsRoundTrip() throws {
        var generator = Generator(state: 3)
        let characters = Array(" az09\"\\;=,()~".utf8)
        for length in 0..<300 {
            let text = String(decoding: (0..<(length % 40)).map { _ in generator.pick(characters) }, as: UTF8.self)
            let serialized = try StructuredField.serialize(StructuredField.Item(.string(text)))
            #expect(try StructuredField.parseItem(serialized).bareItem == .string(text))
        }
    }
}
