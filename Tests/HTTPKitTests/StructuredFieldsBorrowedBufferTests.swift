import Testing

@testable import HTTPKit

/// The parser reads a field value's bytes in place (borrowed from the String for one parse). These runs parse many
/// values one after another, growing and shrinking, from Strings made in different ways, and check every result
/// against the value that was serialized and against a second parse of an independent copy of the text.
@Suite("Structured fields: parsing in place over many values of changing sizes")
struct StructuredFieldsBorrowedBufferTests {
    typealias Generator = SplitMix

    static func item(_ g: inout Generator, size: Int) -> StructuredField.Item {
        let bare: StructuredField.BareItem =
            switch g.next() % 5 {
            case 0: .string(String(repeating: g.pick(["a", "\\", "\"", " "]), count: size))
            case 1: .token("t" + String(repeating: g.pick(["a", ":", "/"]), count: size))
            case 2: .byteSequence(g.bytes(size))
            case 3: .integer(Int64(g.next() % 1_000_000_000))
            default: .boolean(g.next() % 2 == 0)
            }
        return StructuredField.Item(bare, parameters: g.next() % 2 == 0 ? [:] : ["p": .integer(Int64(size))])
    }

    @Test("Round trips of dictionaries whose sizes rise and fall, parsed from fresh and reused Strings")
    func roundTripsOverChangingSizes() throws {
        var g = Generator(state: 0xB0_77_0E)
        let sizes = [0, 1, 5, 40, 300, 2, 450, 17, 500, 0, 64]
        for round in 0..<300 {
            let size = sizes[round % sizes.count] + Int(g.next() % 3)
            var dictionary = StructuredField.Dictionary()
            for member in 0..<Int(1 + g.next() % 3) {
                let value: StructuredField.ListMember =
                    g.next() % 3 == 0
                    ? .innerList(
                        StructuredField.InnerList((0..<Int(g.next() % 5)).map { _ in Self.item(&g, size: size) }))
                    : .item(Self.item(&g, size: size))
                dictionary["k\(member)"] = value
            }
            let text = try StructuredField.serialize(dictionary)
            // The same text as a native String, as a String from a Substring and from bytes: three storages.
            let padded = "  " + text + "  "
            let fromSubstring = String(padded.dropFirst(2).dropLast(2))
            let fromBytes = String(decoding: Array(text.utf8), as: UTF8.self)
            for source in [text, fromSubstring, fromBytes] {
                let parsed = try StructuredField.parseDictionary(source)
                #expect(parsed.members.map(\.key) == dictionary.members.map(\.key))
                #expect(parsed.members.map(\.value) == dictionary.members.map(\.value))
                #expect(try StructuredField.serialize(parsed) == text)
            }
        }
    }

    @Test("Invalid values report the same error and offset whichever String storage holds them")
    func errorsDoNotDependOnStorage() {
        let invalid = [
            "a=(1 2", "a=\"unterminated", "a=:AAA=A:", "a=1,", "a=?2", "\u{E9}=1", "a=1;", "a=%\"%zz\"", "", "a=(1)x",
            String(repeating: "a=1,", count: 2000) + "a=1",
        ]
        for value in invalid {
            let outcomes = [
                value, String(decoding: Array(value.utf8), as: UTF8.self), String(("x" + value).dropFirst()),
            ]
            .map { source -> String in
                do { return "ok \(try StructuredField.parseDictionary(source).count)" } catch { return "\(error)" }
            }
            #expect(Set(outcomes).count == 1, "\(value.prefix(40)): \(outcomes)")
        }
    }
}
