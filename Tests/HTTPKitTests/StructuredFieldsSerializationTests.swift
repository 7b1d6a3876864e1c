import Testing

@testable import HTTPKit

@Suite("Structured fields: serialization (RFC 8941 §4.1)")
struct StructuredFieldsSerializationTests {
    typealias SF = StructuredField

    static let bareItems: [(SF.BareItem, String)] = [
        (.integer(-17), "-17"),
        (.integer(999_999_999_999_999), "999999999999999"),
        (.decimal(SF.Decimal(thousandths: 1500)), "1.5"),
        (.decimal(SF.Decimal(thousandths: -250)), "-0.25"),
        (.decimal(SF.Decimal(thousandths: 3000)), "3.0"),
        (.decimal(SF.Decimal(thousandths: 1)), "0.001"),
        (.string("a \"quoted\" \\ value"), "\"a \\\"quoted\\\" \\\\ value\""),
        (.token("*foo/bar:baz"), "*foo/bar:baz"),
        (.byteSequence(Array("ab".utf8)), ":YWI=:"),
        (.byteSequence([]), "::"),
        (.boolean(true), "?1"),
        (.boolean(false), "?0"),
        (.date(1_659_578_233), "@1659578233"),
        (.displayString("für \"you\" 100%"), "%\"f%c3%bcr %22you%22 100%25\""),
    ]

    @Test("Bare items", arguments: bareItems)
    func bareItem(item: SF.BareItem, expected: String) throws {
        #expect(try SF.serialize(SF.Item(item)) == expected)
        // Everything the serializer writes, the parser reads back to the same value.
        #expect(try SF.parseItem(expected).bareItem == item)
    }

    static let unserializable: [(SF.BareItem, StructuredFieldError)] = [
        (.integer(1_000_000_000_000_000), .integerOutOfRange(1_000_000_000_000_000)),
        (.integer(-1_000_000_000_000_000), .integerOutOfRange(-1_000_000_000_000_000)),
        (.date(Int64.max), .integerOutOfRange(Int64.max)),
        (.decimal(SF.Decimal(thousandths: 1_000_000_000_000_000)), .decimalOutOfRange),
        (.string("tab\there"), .invalidStringCharacter("tab\there")),
        (.string("é"), .invalidStringCharacter("é")),
        (.token("1abc"), .invalidToken("1abc")),
        (.token(""), .invalidToken("")),
        (.token("a b"), .invalidToken("a b")),
    ]

    @Test("Values outside the model are refused", arguments: unserializable)
    func refused(item: SF.BareItem, expected: StructuredFieldError) {
        #expect(throws: expected) { try SF.serialize(SF.Item(item)) }
    }

    @Test("Invalid keys are refused in parameters and dictionaries")
    func invalidKeys() {
        #expect(throws: StructuredFieldError.invalidKey("Bad")) {
            try SF.serialize(SF.Item(.integer(1), parameters: ["Bad": .integer(1)]))
        }
        var dictionary = SF.Dictionary()
        dictionary["9x"] = .item(SF.Item(.integer(1)))
        #expect(throws: StructuredFieldError.invalidKey("9x")) { try SF.serialize(dictionary) }
    }

    @Test("Inner lists with parameters, and lists of them")
    func innerLists() throws {
        let first = SF.InnerList(
            [SF.Item(.string("foo"), parameters: ["a": .integer(1), "b": .boolean(true)]), SF.Item(.token("bar"))],
            parameters: ["lvl": .integer(5)])
        #expect(try SF.serialize(first) == "(\"foo\";a=1;b bar);lvl=5")
        #expect(
            try SF.serialize([.innerList(first), .innerList(SF.InnerList([])), .item(SF.Item(.integer(1)))])
                == "(\"foo\";a=1;b bar);lvl=5, (), 1")
    }

    @Test("Dictionaries write true members as bare keys (§4.1.2)")
    func dictionaries() throws {
        var dictionary = SF.Dictionary()
        dictionary["a"] = .item(SF.Item(.boolean(true), parameters: ["x": .token("y")]))
        dictionary["b"] = .item(SF.Item(.boolean(false)))
        dictionary["c"] = .innerList(SF.InnerList([SF.Item(.integer(1))]))
        #expect(try SF.serialize(dictionary) == "a;x=y, b=?0, c=(1)")
        dictionary["a"] = .item(SF.Item(.integer(2)))
        #expect(try SF.serialize(dictionary) == "a=2, b=?0, c=(1)")
        #expect(dictionary.repeatedKeys.isEmpty)
    }

    @Test(
        "Parsing then serializing canonicalizes whitespace and keeps order",
        arguments: [
            ("a=1 ,  b=(x   y);p;  q=2", "a=1, b=(x y);p;q=2"),
            ("sig=(\"@method\" \"@path\"); created=1730217600", "sig=(\"@method\" \"@path\");created=1730217600"),
            ("z, a, m", "z, a, m"),
        ])
    func roundTrip(input: String, canonical: String) throws {
        #expect(try SF.serialize(SF.parseDictionary(input)) == canonical)
    }

    @Test("Byte sequences without padding are written padded")
    func byteSequencePadding() throws {
        #expect(try SF.serialize(SF.parseItem(":YWJj:")) == ":YWJj:")
        #expect(try SF.serialize(SF.parseItem(":YQ:")) == ":YQ==:")
    }
}
