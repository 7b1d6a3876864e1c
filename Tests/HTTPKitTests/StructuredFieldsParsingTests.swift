import Testing

@testable import HTTPKit

@Suite("Structured fields: parsing valid values")
struct StructuredFieldsParsingTests {
    typealias SF = StructuredField

    static let items: [(String, SF.BareItem)] = [
        ("42", .integer(42)),
        ("-42", .integer(-42)),
        ("0", .integer(0)),
        ("999999999999999", .integer(999_999_999_999_999)),
        ("-999999999999999", .integer(-999_999_999_999_999)),
        ("4.5", .decimal(SF.Decimal(thousandths: 4500))),
        ("-0.001", .decimal(SF.Decimal(thousandths: -1))),
        ("123456789012.123", .decimal(SF.Decimal(thousandths: 123_456_789_012_123))),
        ("\"hello world\"", .string("hello world")),
        ("\"say \\\"hi\\\" \\\\ bye\"", .string("say \"hi\" \\ bye")),
        ("\"\"", .string("")),
        ("foo123/456", .token("foo123/456")),
        ("*", .token("*")),
        ("text/html:x", .token("text/html:x")),
        (
            ":cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:",
            .byteSequence(Array("pretend this is binary content.".utf8))
        ),
        ("::", .byteSequence([])),
        (":YQ:", .byteSequence([0x61])),
        ("?1", .boolean(true)),
        ("?0", .boolean(false)),
        ("@1659578233", .date(1_659_578_233)),
        ("@-1", .date(-1)),
        ("%\"This is intended for display to %c3%bc\"", .displayString("This is intended for display to ü")),
        ("%\"\"", .displayString("")),
    ]

    @Test("RFC 8941 §3.3 and RFC 9651 bare items", arguments: items)
    func bareItems(text: String, expected: SF.BareItem) throws {
        let item = try SF.parseItem(text)
        #expect(item.bareItem == expected)
        #expect(item.parameters.isEmpty)
    }

    @Test("Leading and trailing spaces are discarded (§4.2 steps 2 and 5)")
    func surroundingSpaces() throws {
        #expect(try SF.parseItem("   7  ").bareItem == .integer(7))
        #expect(try SF.parseList("  a , b  ").count == 2)
    }

    @Test("A list of tokens (RFC 8941 §3.1)")
    func listOfTokens() throws {
        let list = try SF.parseList("sugar, tea, rum")
        #expect(list.map { $0.item?.bareItem } == [.token("sugar"), .token("tea"), .token("rum")])
    }

    @Test("OWS around commas may include tabs")
    func tabsAroundCommas() throws {
        #expect(try SF.parseList("a\t,\t b").count == 2)
    }

    @Test("Inner lists with parameters on items and lists (§3.1.1)")
    func innerLists() throws {
        let list = try SF.parseList("(\"foo\"; a=1;b=2);lvl=5, (\"bar\" \"baz\");lvl=1, ()")
        #expect(list.count == 3)
        let first = try #require(list[0].innerList)
        #expect(first.items == [SF.Item(.string("foo"), parameters: ["a": .integer(1), "b": .integer(2)])])
        #expect(first.parameters == ["lvl": .integer(5)])
        #expect(list[1].innerList?.items.count == 2)
        #expect(list[2].innerList == SF.InnerList([]))
    }

    @Test("Inner list tolerates extra spaces inside the parentheses")
    func innerListSpaces() throws {
        let list = try SF.parseList("(  a   b  )")
        #expect(list[0].innerList?.items.map(\.bareItem) == [.token("a"), .token("b")])
    }

    @Test("Parameters: bare keys are true, repeated keys overwrite in place (§4.2.3.2)")
    func parameters() throws {
        let item = try SF.parseItem("abc;a=1;b=2; cde_456;a=3")
        #expect(item.parameters.keys == ["a", "b", "cde_456"])
        #expect(item.parameters["a"] == .integer(3))
        #expect(item.parameters["cde_456"] == .boolean(true))
    }

    @Test("Dictionary with strings and byte sequences (§3.2)")
    func dictionary() throws {
        let dictionary = try SF.parseDictionary("en=\"Applepie\", da=:w4ZibGV0w6ZydGU=:")
        #expect(dictionary.keys == ["en", "da"])
        #expect(dictionary["en"]?.item?.bareItem == .string("Applepie"))
        #expect(dictionary["da"]?.item?.bareItem == .byteSequence(Array("Æbletærte".utf8)))
    }

    @Test("Dictionary bare keys are true with parameters")
    func dictionaryBooleans() throws {
        let dictionary = try SF.parseDictionary("a=?0, b, c; foo=bar")
        #expect(dictionary["a"]?.item?.bareItem == .boolean(false))
        #expect(dictionary["b"]?.item?.bareItem == .boolean(true))
        #expect(dictionary["c"]?.item == SF.Item(.boolean(true), parameters: ["foo": .token("bar")]))
    }

    @Test("Dictionary with inner lists and decimals")
    func dictionaryMixed() throws {
        let dictionary = try SF.parseDictionary("rating=1.5, feelings=(joy sadness)")
        #expect(dictionary["rating"]?.item?.bareItem == .decimal(SF.Decimal(thousandths: 1500)))
        #expect(dictionary["feelings"]?.innerList?.items.map(\.bareItem) == [.token("joy"), .token("sadness")])
    }

    @Test("Repeated dictionary keys keep the first position and the last value, and are reported")
    func repeatedKeys() throws {
        let dictionary = try SF.parseDictionary("a=1, b=2, a=3")
        #expect(dictionary.keys == ["a", "b"])
        #expect(dictionary["a"]?.item?.bareItem == .integer(3))
        #expect(dictionary.repeatedKeys == ["a"])
        #expect(try SF.parseDictionary("a=1, b=2").repeatedKeys.isEmpty)
    }

    @Test("Raw member text is the value as received, including non-canonical spacing")
    func rawMemberText() throws {
        let dictionary = try SF.parseDictionary("sig=(\"a\"  \"b\"); created=1 ,\tother=2;x, flag;y=?0")
        #expect(dictionary.member("sig")?.rawValue == "(\"a\"  \"b\"); created=1")
        #expect(dictionary.member("other")?.rawValue == "2;x")
        #expect(dictionary.member("flag")?.rawValue == ";y=?0")
    }

    @Test("Byte sequences tolerate missing padding but not base64url unless allowed")
    func byteSequenceAlphabets() throws {
        #expect(try SF.parseItem(":YWI:").bareItem == .byteSequence(Array("ab".utf8)))
        #expect(throws: StructuredFieldError.invalidByteSequence(offset: 0)) { try SF.parseItem(":-_8:") }
        var liberal = StructuredFieldLimits()
        liberal.allowsBase64URLByteSequences = true
        #expect(try SF.parseItem(":-_8:", limits: liberal).bareItem == .byteSequence([0xFB, 0xFF]))
    }

    @Test("An empty field value is an empty list or dictionary")
    func emptyContainers() throws {
        #expect(try SF.parseList("").isEmpty)
        #expect(try SF.parseDictionary("   ").isEmpty)
    }
}
