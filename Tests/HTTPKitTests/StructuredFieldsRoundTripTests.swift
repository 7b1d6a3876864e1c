import Testing

@testable import HTTPKit

@Suite("Structured fields: generated input never crashes and round-trips")
struct StructuredFieldsRoundTripTests {
    /// A small deterministic generator (64-bit LCG), so every run sees the same inputs.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// Fragments that make structurally interesting values far more often than random bytes would.
    static let fragments = [
        "a", "b", "key", "*", "=", ",", ", ", ";", "; ", "(", ")", " ", "\t", "\"", "\\", "\"x\"", "1", "-", ".",
        "12", "3.5", "?1", "?0", ":", ":YWI=:", "@", "@17", "%\"", "%c3%bc", "tok/en", "x=1", "é", "\u{0}",
    ]

    static func sample(seed: UInt64) -> [String] {
        var generator = Generator(state: seed)
        return (0..<1500).map { _ in
            (0..<(1 + generator.next(8))).map { _ in fragments[generator.next(fragments.count)] }.joined()
        }
    }

    @Test("Lists", arguments: [1, 2, 3] as [UInt64])
    func lists(seed: UInt64) throws {
        for text in Self.sample(seed: seed) {
            guard let list = try? StructuredField.parseList(text) else { continue }
            let serialized = try StructuredField.serialize(list)
            #expect(try StructuredField.parseList(serialized) == list, "\(text)")
            #expect(try StructuredField.serialize(StructuredField.parseList(serialized)) == serialized)
        }
    }

    @Test("Dictionaries", arguments: [4, 5, 6] as [UInt64])
    func dictionaries(seed: UInt64) throws {
        for text in Self.sample(seed: seed) {
            guard let dictionary = try? StructuredField.parseDictionary(text) else { continue }
            let serialized = try StructuredField.serialize(dictionary)
            let reparsed = try StructuredField.parseDictionary(serialized)
            #expect(reparsed.keys == dictionary.keys, "\(text)")
            #expect(reparsed.members.map(\.value) == dictionary.members.map(\.value), "\(text)")
            #expect(reparsed.repeatedKeys.isEmpty)
        }
    }

    @Test("Items", arguments: [7, 8, 9] as [UInt64])
    func items(seed: UInt64) throws {
        for text in Self.sample(seed: seed) {
            guard let item = try? StructuredField.parseItem(text) else { continue }
            #expect(try StructuredField.parseItem(StructuredField.serialize(item)) == item, "\(text)")
        }
    }

    @Test("Some generated inputs parse, so the round trip is exercised")
    func coverage() {
        let parsed = Self.sample(seed: 1).filter { (try? StructuredField.parseList($0)) != nil }
        #expect(parsed.count > 100)
    }
}
