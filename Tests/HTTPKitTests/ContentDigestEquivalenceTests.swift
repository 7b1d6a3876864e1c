import Testing

@testable import HTTPKit

/// Holds the single-member reading of `Content-Digest` and the buffer comparison of header names to the general
/// code they short-cut: the same answers (values and errors) over generated inputs, valid and invalid.
@Suite("Content-Digest and header lookups: fast paths agree with the general ones")
struct ContentDigestEquivalenceTests {
    /// The shared deterministic generator (SplitMix.swift): every run checks the same variants.
    typealias Generator = SplitMix

    /// A comparable outcome: the members as `key|bytes` lines, or the error.
    enum Outcome: Equatable {
        case digests([String])
        case failure(SignatureError)

        init(_ body: () throws(SignatureError) -> [(algorithm: String, digest: [UInt8])]) {
            do { self = .digests(try body().map { "\($0.algorithm)|\($0.digest)" }) } catch { self = .failure(error) }
        }
    }

    // MARK: Generated Content-Digest values

    static let keys = [
        "sha-256", "sha-512", "SHA-256", "sha256", "md5", "*x", "a_b.c-1*", "unixsum", "1sha", "", "sha-256 ", "é",
    ]

    /// One member's value: a well-formed byte sequence of a digest-like length, or one of many faults.
    static func value(_ g: inout Generator) -> String {
        let encoded = ByteSequenceCoding.encode(g.bytes(g.pick([0, 1, 2, 20, 32, 33, 48, 64])))
        switch g.next() % 16 {
        case 0: return ":" + encoded.filter { $0 != "=" } + ":"  // padding dropped
        case 1: return ":" + encoded.swappingCharacters("+", "-").swappingCharacters("/", "_") + ":"
        case 2: return ":" + encoded + "!:"  // invalid base64
        case 3: return ":" + encoded + "é:"  // non-ASCII
        case 4: return ":" + encoded  // unterminated
        case 5: return ":" + encoded + "::"  // a stray colon
        case 6: return ":" + encoded + ":;a=1"  // parameter (ignored)
        case 7: return ":" + encoded + ":;x"
        case 8: return "(:" + encoded + ":)"  // inner list
        case 9: return g.pick(["1", "tok", "\"s\"", "?1", "@1", "1.5", "%\"x\""])  // other items
        case 10: return ":" + encoded + ": "  // trailing space
        case 11: return ":" + encoded + ":\t"
        case 12: return ":A=B=:"  // misplaced padding
        default: return ":" + encoded + ":"
        }
    }

    static func member(_ g: inout Generator) -> String {
        let key = g.pick(keys)
        if g.next() % 10 == 0 { return key }  // a bare key is Boolean true
        return key + g.pick(["=", "=", "=", " =", "= "]) + value(&g)
    }

    static func fieldValue(_ g: inout Generator) -> String {
        let count = g.pick([1, 1, 1, 1, 2, 2, 3, 0])
        var members = (0..<count).map { _ in member(&g) }
        if count > 1, g.next() % 4 == 0 { members[count - 1] = members[0] }  // a repeated member
        var text = members.joined(separator: g.pick([", ", ",", " , ", ",\t", ",  "]))
        if g.next() % 8 == 0 { text = g.pick([" ", "  ", "\t"]) + text }
        if g.next() % 8 == 0 { text += g.pick([" ", ",", "\t", ", "]) }
        return text
    }

    static let limits = [
        StructuredFieldLimits.default, StructuredFieldLimits(allowsBase64URLByteSequences: true),
        StructuredFieldLimits(maxInputLength: 60), StructuredFieldLimits(maxInputLength: 0),
        StructuredFieldLimits(maxMembers: 1), StructuredFieldLimits(maxMembers: 0),
        StructuredFieldLimits(maxParameters: 0),
    ]

    @Test("ContentDigest(parsing:) gives the general parser's members or error on 20,000 generated values")
    func parsingAgrees() {
        var g = Generator(state: 0xC0DE)
        var fastTaken = 0
        for _ in 0..<20_000 {
            let text = Self.fieldValue(&g)
            let limits = g.pick(Self.limits)
            let general = Outcome { () throws(SignatureError) in try ContentDigest.generalDigests(text, limits: limits)
            }
            let parsed = Outcome { () throws(SignatureError) in try ContentDigest(parsing: text, limits: limits).digests
            }
            #expect(parsed == general, "\(text) with \(limits)")
            if let fast = ContentDigest.singleMember(Array(text.utf8), limits: limits) {
                fastTaken += 1
                #expect(Outcome { fast } == general, "\(text) with \(limits)")
            }
        }
        // The generator must exercise both paths for the comparison to mean anything.
        #expect(fastTaken > 300)
        #expect(fastTaken < 15_000)
    }

    @Test(
        "Hand-picked values give the same outcome both ways",
        arguments: [
            "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:", "sha-256=::", "sha-256=:", "sha-256=", "sha-256",
            "=:AA==:", "sha-256=:AA==:x", "sha-256=:AA==:, sha-512=:AA==:", "sha-256=:AA==:,sha-256=:AQ==:",
            "sha-256=:AA==", "sha-256=:A:A==:", "Sha-256=:AA==:", "sha-256=:AA==:;p", " sha-256=:AA==:",
            "sha-256=:AA==: ", "sha-256=:_-8=:", "sha-256=:é:", "sha-256=:AA==:\u{0}", "",
        ])
    func handPicked(text: String) {
        for limits in Self.limits {
            let general = Outcome { () throws(SignatureError) in try ContentDigest.generalDigests(text, limits: limits)
            }
            let parsed = Outcome { () throws(SignatureError) in try ContentDigest(parsing: text, limits: limits).digests
            }
            #expect(parsed == general, "\(text) with \(limits)")
        }
    }

    @Test("The usual field takes the single-member path and picks its digest")
    func usualField() throws {
        let digest = (0..<32).map { UInt8($0) }
        let text = ContentDigest.fieldValue(algorithm: .sha256, digest: digest)
        #expect(ContentDigest.singleMember(Array(text.utf8), limits: .default)?.first?.digest == digest)
        let expected = try ContentDigest(parsing: text).expectedDigest()
        #expect(expected.algorithm == .sha256)
        #expect(expected.digest == digest)
    }

    // MARK: Header names

    /// ASCII-only case folding over the UTF-8 bytes: the definition `namesEqual` implements.
    static func referenceNamesEqual(_ a: String, _ b: String) -> Bool {
        let fold = { (byte: UInt8) in (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte }
        return Array(a.utf8).map(fold) == Array(b.utf8).map(fold)
    }

    static let names = [
        "Content-Digest", "content-digest", "CONTENT-DIGEST", "Content-Digesu", "Content-Diges", "Signature",
        "signature", "Signature-Input", "signature-key", "Signature-Key", "Host", "host", "HOST", "Hosu", "",
        "Content-Type", "content-type", "X-É", "x-é", "X-é", "@", "`", "[", "{", "Z", "z", "Content_Digest",
    ]

    @Test("namesEqual, its buffer path and its iterator path agree with ASCII case folding on all pairs")
    func namesAgree() {
        for a in Self.names {
            for b in Self.names {
                let reference = Self.referenceNamesEqual(a, b)
                #expect(HTTPHeaders.namesEqual(a, b) == reference, "\(a) vs \(b)")
                #expect(HTTPHeaders.iteratedNamesEqual(a, b) == reference, "\(a) vs \(b)")
                // Substring-built and freshly made strings, not only literals.
                let copy = String(Substring(a + "!").dropLast())
                #expect(HTTPHeaders.namesEqual(copy, b) == reference, "\(a) vs \(b)")
            }
        }
    }

    @Test("values(for:) gives every matching line in order on 2,000 generated header lists")
    func valuesAgree() {
        var g = Generator(state: 0x4EAD)
        for _ in 0..<2_000 {
            let pairs = (0..<Int(g.next() % 8)).map { index in (g.pick(Self.names), "v\(index)") }
            let headers = HTTPHeaders(pairs)
            for name in Self.names {
                let expected = pairs.filter { Self.referenceNamesEqual($0.0, name) }.map(\.1)
                #expect(headers.values(for: name) == expected, "\(name) in \(pairs)")
            }
        }
    }
}

extension String {
    fileprivate func swappingCharacters(_ target: Character, _ replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
