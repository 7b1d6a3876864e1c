import Testing

@testable import HTTPKit

@Suite("Structured fields: invalid input is refused with the exact error")
struct StructuredFieldsInvalidTests {
    typealias SF = StructuredField

    static let invalidItems: [(String, StructuredFieldError)] = [
        ("", .unexpectedEnd(expected: .bareItem)),
        ("   ", .unexpectedEnd(expected: .bareItem)),
        ("\t1", .unexpectedCharacter(offset: 0, expected: .bareItem)),
        ("1.", .decimalWithoutFraction(offset: 0)),
        ("1.1234", .numberTooLong(offset: 0)),
        ("1234567890123.0", .numberTooLong(offset: 0)),
        ("1234567890123456", .numberTooLong(offset: 0)),
        ("-", .unexpectedEnd(expected: .digit)),
        ("- 1", .unexpectedCharacter(offset: 1, expected: .digit)),
        ("-a", .unexpectedCharacter(offset: 1, expected: .digit)),
        ("1.2.3", .trailingCharacters(offset: 3)),
        ("\"abc", .unexpectedEnd(expected: .stringQuote)),
        ("\"a\\x\"", .invalidEscape(offset: 3)),
        ("\"a\\", .unexpectedEnd(expected: .stringQuote)),
        ("\"a\u{7}\"", .nonASCIICharacter(offset: 2)),
        ("\"é\"", .nonASCIICharacter(offset: 1)),
        ("\"a\tb\"", .unexpectedCharacter(offset: 2, expected: .stringQuote)),
        (":abc", .unexpectedEnd(expected: .byteSequenceEnd)),
        (":a=bc:", .invalidByteSequence(offset: 0)),
        (":a:", .invalidByteSequence(offset: 0)),
        (":YQ===:", .invalidByteSequence(offset: 0)),
        (":Y Q=:", .invalidByteSequence(offset: 0)),
        ("?2", .unexpectedCharacter(offset: 1, expected: .booleanValue)),
        ("?", .unexpectedEnd(expected: .booleanValue)),
        ("@1.5", .unexpectedCharacter(offset: 0, expected: .digit)),
        ("@", .unexpectedEnd(expected: .digit)),
        ("%\"%C3%BC\"", .invalidDisplayString(offset: 2)),
        ("%\"%c3\"", .invalidDisplayString(offset: 0)),
        ("%\"%c\"", .invalidDisplayString(offset: 2)),
        ("%abc", .unexpectedCharacter(offset: 1, expected: .displayStringQuote)),
        ("%\"abc", .unexpectedEnd(expected: .displayStringQuote)),
        ("a b", .trailingCharacters(offset: 2)),
        ("1;", .unexpectedEnd(expected: .key)),
        ("1;A=2", .unexpectedCharacter(offset: 2, expected: .key)),
        ("1;a=", .unexpectedEnd(expected: .bareItem)),
        ("(1)", .unexpectedCharacter(offset: 0, expected: .bareItem)),
        ("<a>", .unexpectedCharacter(offset: 0, expected: .bareItem)),
        ("1, 2", .trailingCharacters(offset: 1)),
    ]

    @Test("Items", arguments: invalidItems)
    func items(text: String, expected: StructuredFieldError) {
        #expect(throws: expected) { try SF.parseItem(text) }
    }

    static let invalidLists: [(String, StructuredFieldError)] = [
        ("a,", .trailingComma(offset: 2)),
        ("a, ", .trailingComma(offset: 3)),
        ("a,,b", .unexpectedCharacter(offset: 2, expected: .bareItem)),
        (",a", .unexpectedCharacter(offset: 0, expected: .bareItem)),
        ("a b", .unexpectedCharacter(offset: 2, expected: .comma)),
        ("(a", .unexpectedEnd(expected: .innerListDelimiter)),
        ("(a b", .unexpectedEnd(expected: .innerListDelimiter)),
        ("(a,b)", .unexpectedCharacter(offset: 2, expected: .innerListDelimiter)),
        ("(a\tb)", .unexpectedCharacter(offset: 2, expected: .innerListDelimiter)),
        ("((a))", .unexpectedCharacter(offset: 1, expected: .bareItem)),
        ("a;b=", .unexpectedEnd(expected: .bareItem)),
        ("a=1", .unexpectedCharacter(offset: 1, expected: .comma)),
    ]

    @Test("Lists", arguments: invalidLists)
    func lists(text: String, expected: StructuredFieldError) {
        #expect(throws: expected) { try SF.parseList(text) }
    }

    static let invalidDictionaries: [(String, StructuredFieldError)] = [
        ("A=1", .unexpectedCharacter(offset: 0, expected: .key)),
        ("1a=1", .unexpectedCharacter(offset: 0, expected: .key)),
        ("=1", .unexpectedCharacter(offset: 0, expected: .key)),
        ("a=1,", .trailingComma(offset: 4)),
        ("a=1 b=2", .unexpectedCharacter(offset: 4, expected: .comma)),
        ("a=(1", .unexpectedEnd(expected: .innerListDelimiter)),
        ("a=1;", .unexpectedEnd(expected: .key)),
        ("a=", .unexpectedEnd(expected: .bareItem)),
        ("a =1", .unexpectedCharacter(offset: 2, expected: .comma)),
        ("aB=1", .unexpectedCharacter(offset: 1, expected: .comma)),
        ("sig=(\"@method\"", .unexpectedEnd(expected: .innerListDelimiter)),
    ]

    @Test("Dictionaries", arguments: invalidDictionaries)
    func dictionaries(text: String, expected: StructuredFieldError) {
        #expect(throws: expected) { try SF.parseDictionary(text) }
    }

    @Test("Input longer than the limit is refused before parsing")
    func inputLimit() {
        let limits = StructuredFieldLimits(maxInputLength: 10)
        #expect(throws: StructuredFieldError.inputTooLong(length: 11, limit: 10)) {
            try SF.parseList("aaaaaaaaaaa", limits: limits)
        }
        #expect(throws: StructuredFieldError.inputTooLong(length: 16_385, limit: 16_384)) {
            try SF.parseItem(String(repeating: "a", count: 16_385))
        }
    }

    @Test("Member, inner-list and parameter counts are bounded")
    func countLimits() throws {
        let limits = StructuredFieldLimits(maxMembers: 3, maxParameters: 2)
        #expect(throws: StructuredFieldError.tooManyMembers(limit: 3)) {
            try SF.parseList("a, b, c, d", limits: limits)
        }
        #expect(throws: StructuredFieldError.tooManyMembers(limit: 3)) {
            try SF.parseDictionary("a, b, c, d", limits: limits)
        }
        #expect(throws: StructuredFieldError.tooManyMembers(limit: 3)) { try SF.parseList("(a b c d)", limits: limits) }
        #expect(throws: StructuredFieldError.tooManyParameters(limit: 2)) {
            try SF.parseItem("a;x;y;z", limits: limits)
        }
        #expect(try SF.parseList("a, b, c", limits: limits).count == 3)
    }

    @Test("Repeated dictionary keys still count against the member limit")
    func repeatedKeysBounded() {
        let limits = StructuredFieldLimits(maxMembers: 2)
        #expect(throws: StructuredFieldError.tooManyMembers(limit: 2)) {
            try SF.parseDictionary("a, a, a", limits: limits)
        }
    }
}
