/// The RFC 8941 §4.2 parsing algorithms over the bytes of one field value (all lines joined by ", ").
struct StructuredFieldParser {
    /// The field value's UTF-8, borrowed from its String for the duration of `parse(_:limits:_:)` only.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index: Int
    private let limits: StructuredFieldLimits

    /// Runs `body` with a parser over `fieldValue`'s UTF-8 in place.
    ///
    /// Why a pointer: each parse used to copy the value into an Array first (1.27 mallocs per token grant). The
    /// bytes are the String's own storage, lent by `withUTF8` until `body` returns; the parser is made here, lives
    /// in that frame and is only ever used through `body`'s `inout` argument, and nothing it returns points into
    /// the bytes (`text`, `Array` and the byte-sequence decoder copy). Every read is guarded by `index < count`
    /// (`peek`) or by the ranges those reads produced.
    static func parse<Parsed>(
        _ fieldValue: String, limits: StructuredFieldLimits,
        _ body: (inout StructuredFieldParser) throws(StructuredFieldError) -> Parsed
    ) throws(StructuredFieldError) -> Parsed {
        var value = fieldValue
        let outcome = value.withUTF8 { bytes in
            Result { () throws(StructuredFieldError) -> Parsed in
                var parser = try StructuredFieldParser(bytes, limits: limits)
                return try body(&parser)
            }
        }
        return try outcome.get()
    }

    private init(_ bytes: UnsafeBufferPointer<UInt8>, limits: StructuredFieldLimits) throws(StructuredFieldError) {
        guard bytes.count <= limits.maxInputLength else {
            throw .inputTooLong(length: bytes.count, limit: limits.maxInputLength)
        }
        // §4.2 step 1: the value must be ASCII; control characters other than HTAB never fit the grammar.
        if let offset = StructuredFieldGrammar.firstNonVisibleOffset(bytes) {
            throw .nonASCIICharacter(offset: offset)
        }
        self.bytes = bytes
        self.index = 0
        self.limits = limits
    }

    // MARK: Top level (§4.2 steps 2–6)

    mutating func parseTopLevelList() throws(StructuredFieldError) -> [StructuredField.ListMember] {
        skipSpaces()
        let list = try parseList()
        try finish()
        return list
    }

    mutating func parseTopLevelDictionary() throws(StructuredFieldError) -> StructuredField.Dictionary {
        skipSpaces()
        let dictionary = try parseDictionary()
        try finish()
        return dictionary
    }

    mutating func parseTopLevelItem() throws(StructuredFieldError) -> StructuredField.Item {
        skipSpaces()
        let item = try parseItem()
        try finish()
        return item
    }

    private mutating func finish() throws(StructuredFieldError) {
        skipSpaces()
        if index < bytes.count { throw .trailingCharacters(offset: index) }
    }

    // MARK: Lists and dictionaries (§4.2.1, §4.2.2)

    private mutating func parseList() throws(StructuredFieldError) -> [StructuredField.ListMember] {
        var members: [StructuredField.ListMember] = []
        while index < bytes.count {
            guard members.count < limits.maxMembers else { throw .tooManyMembers(limit: limits.maxMembers) }
            members.append(try parseItemOrInnerList())
            guard try consumeMemberSeparator() else { return members }
        }
        return members
    }

    private mutating func parseDictionary() throws(StructuredFieldError) -> StructuredField.Dictionary {
        var dictionary = StructuredField.Dictionary()
        var parsedMembers = 0
        while index < bytes.count {
            guard parsedMembers < limits.maxMembers else { throw .tooManyMembers(limit: limits.maxMembers) }
            parsedMembers += 1
            let key = try parseKey()
            let member: StructuredField.ListMember
            let valueStart: Int
            if peek() == UInt8(ascii: "=") {
                index += 1
                valueStart = index
                member = try parseItemOrInnerList()
            } else {
                // §4.2.2 step 3.3: a bare key is Boolean true with parameters.
                valueStart = index
                member = .item(StructuredField.Item(.boolean(true), parameters: try parseParameters()))
            }
            let raw = text(valueStart..<index)
            dictionary.insert(.init(key: key, value: member, rawValue: raw), recordingRepeat: true)
            guard try consumeMemberSeparator() else { return dictionary }
        }
        return dictionary
    }

    /// Skips OWS, then either reaches the end (false) or consumes "," and OWS before another member (true).
    private mutating func consumeMemberSeparator() throws(StructuredFieldError) -> Bool {
        skipOptionalWhitespace()
        guard let byte = peek() else { return false }
        guard byte == UInt8(ascii: ",") else { throw .unexpectedCharacter(offset: index, expected: .comma) }
        index += 1
        skipOptionalWhitespace()
        if index >= bytes.count { throw .trailingComma(offset: index) }
        return true
    }

    private mutating func parseItemOrInnerList() throws(StructuredFieldError) -> StructuredField.ListMember {
        if peek() == UInt8(ascii: "(") { return .innerList(try parseInnerList()) }
        return .item(try parseItem())
    }

    // MARK: Inner lists and items (§4.2.1.2, §4.2.3)

    private mutating func parseInnerList() throws(StructuredFieldError) -> StructuredField.InnerList {
        index += 1  // "("
        var items: [StructuredField.Item] = []
        while index < bytes.count {
            skipSpaces()
            if peek() == UInt8(ascii: ")") {
                index += 1
                return StructuredField.InnerList(items, parameters: try parseParameters())
            }
            guard items.count < limits.maxMembers else { throw .tooManyMembers(limit: limits.maxMembers) }
            // A Signature-Input list covers ~6 components: one allocation instead of growing 1, 2, 4, 8.
            if items.isEmpty { items.reserveCapacity(8) }
            items.append(try parseItem())
            guard let next = peek() else { break }
            guard next == UInt8(ascii: " ") || next == UInt8(ascii: ")") else {
                throw .unexpectedCharacter(offset: index, expected: .innerListDelimiter)
            }
        }
        throw .unexpectedEnd(expected: .innerListDelimiter)
    }

    private mutating func parseItem() throws(StructuredFieldError) -> StructuredField.Item {
        let bare = try parseBareItem()
        return StructuredField.Item(bare, parameters: try parseParameters())
    }

    private mutating func parseParameters() throws(StructuredFieldError) -> StructuredField.Parameters {
        var parameters = StructuredField.Parameters()
        var parsed = 0
        while peek() == UInt8(ascii: ";") {
            guard parsed < limits.maxParameters else { throw .tooManyParameters(limit: limits.maxParameters) }
            // An hwk Signature-Key has four or five parameters; reserved once instead of grown 1, 2, 4, 8.
            if parsed == 0 { parameters.reserveCapacity(4) }
            parsed += 1
            index += 1
            skipSpaces()
            let key = try parseKey()
            var value = StructuredField.BareItem.boolean(true)
            if peek() == UInt8(ascii: "=") {
                index += 1
                value = try parseBareItem()
            }
            parameters[key] = value
        }
        return parameters
    }

    private mutating func parseKey() throws(StructuredFieldError) -> String {
        guard let first = peek() else { throw .unexpectedEnd(expected: .key) }
        guard StructuredFieldGrammar.isKeyStart(first) else {
            throw .unexpectedCharacter(offset: index, expected: .key)
        }
        let start = index
        index += 1
        while let byte = peek(), StructuredFieldGrammar.isKeyCharacter(byte) { index += 1 }
        return text(start..<index)
    }

    // MARK: Bare items (§4.2.3.1 and the type algorithms)

    private mutating func parseBareItem() throws(StructuredFieldError) -> StructuredField.BareItem {
        guard let first = peek() else { throw .unexpectedEnd(expected: .bareItem) }
        switch first {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "*"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
            return .token(parseToken())
        case UInt8(ascii: ":"): return .byteSequence(try parseByteSequence())
        case UInt8(ascii: "?"): return .boolean(try parseBoolean())
        case UInt8(ascii: "@"): return .date(try parseDate())
        case UInt8(ascii: "%"): return .displayString(try parseDisplayString())
        default: throw .unexpectedCharacter(offset: index, expected: .bareItem)
        }
    }

    /// §4.2.4: at most 15 integer digits; a decimal has at most 12 digits before "." and 1–3 after.
    private mutating func parseNumber() throws(StructuredFieldError) -> StructuredField.BareItem {
        let start = index
        var negative = false
        if peek() == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard let first = peek() else { throw .unexpectedEnd(expected: .digit) }
        guard StructuredFieldGrammar.isDigit(first) else { throw .unexpectedCharacter(offset: index, expected: .digit) }
        var integerPart: Int64 = 0
        var integerDigits = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var isDecimal = false
        while let byte = peek() {
            if StructuredFieldGrammar.isDigit(byte) {
                let digit = Int64(byte - UInt8(ascii: "0"))
                if isDecimal {
                    fractionDigits += 1
                    // Three fractional digits at most (§4.2.4 step 10); checked here to keep the value bounded.
                    if fractionDigits > 3 { throw .numberTooLong(offset: start) }
                    fraction = fraction * 10 + digit
                } else {
                    integerDigits += 1
                    if integerDigits > 15 { throw .numberTooLong(offset: start) }
                    integerPart = integerPart * 10 + digit
                }
                index += 1
            } else if byte == UInt8(ascii: "."), !isDecimal {
                if integerDigits > 12 { throw .numberTooLong(offset: start) }
                isDecimal = true
                index += 1
            } else {
                break
            }
        }
        if !isDecimal { return .integer(negative ? -integerPart : integerPart) }
        if fractionDigits == 0 { throw .decimalWithoutFraction(offset: start) }
        for _ in fractionDigits..<3 { fraction *= 10 }
        let thousandths = integerPart * 1000 + fraction
        return .decimal(StructuredField.Decimal(thousandths: negative ? -thousandths : thousandths))
    }

    private mutating func parseString() throws(StructuredFieldError) -> String {
        index += 1  // opening quote
        let start = index
        // Most strings have no escape: scan them and make the String from the slice once, without a buffer.
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return text(start..<(index - 1))
            case UInt8(ascii: "\\"):
                return try parseEscapedString(prefix: bytes[start..<index])
            case 0x20...0x7E:
                index += 1
            default:
                throw .unexpectedCharacter(offset: index, expected: .stringQuote)
            }
        }
        throw .unexpectedEnd(expected: .stringQuote)
    }

    /// The rest of a String from its first `\`, after `prefix` (the unescaped text before it).
    private mutating func parseEscapedString(
        prefix: Slice<UnsafeBufferPointer<UInt8>>
    ) throws(StructuredFieldError) -> String {
        var output = Array(prefix)
        while let byte = peek() {
            index += 1
            switch byte {
            case UInt8(ascii: "\\"):
                guard let escaped = peek() else { throw .unexpectedEnd(expected: .stringQuote) }
                guard escaped == UInt8(ascii: "\"") || escaped == UInt8(ascii: "\\") else {
                    throw .invalidEscape(offset: index)
                }
                output.append(escaped)
                index += 1
            case UInt8(ascii: "\""):
                return String(decoding: output, as: UTF8.self)
            case 0x20...0x7E:
                output.append(byte)
            default:
                throw .unexpectedCharacter(offset: index - 1, expected: .stringQuote)
            }
        }
        throw .unexpectedEnd(expected: .stringQuote)
    }

    private mutating func parseToken() -> String {
        let start = index
        index += 1
        while let byte = peek(), StructuredFieldGrammar.isTokenCharacter(byte) { index += 1 }
        return text(start..<index)
    }

    private mutating func parseByteSequence() throws(StructuredFieldError) -> [UInt8] {
        let start = index
        index += 1  // ":"
        guard let end = bytes[index...].firstIndex(of: UInt8(ascii: ":")) else {
            throw .unexpectedEnd(expected: .byteSequenceEnd)
        }
        guard
            let decoded = ByteSequenceCoding.decode(
                UnsafeBufferPointer(rebasing: bytes[index..<end]),
                allowsURLAlphabet: limits.allowsBase64URLByteSequences)
        else { throw .invalidByteSequence(offset: start) }
        index = end + 1
        return decoded
    }

    private mutating func parseBoolean() throws(StructuredFieldError) -> Bool {
        index += 1  // "?"
        guard let byte = peek() else { throw .unexpectedEnd(expected: .booleanValue) }
        index += 1
        switch byte {
        case UInt8(ascii: "1"): return true
        case UInt8(ascii: "0"): return false
        default: throw .unexpectedCharacter(offset: index - 1, expected: .booleanValue)
        }
    }

    /// RFC 9651 §4.2.9: "@" followed by an Integer.
    private mutating func parseDate() throws(StructuredFieldError) -> Int64 {
        let start = index
        index += 1
        guard case .integer(let seconds) = try parseNumber() else {
            throw .unexpectedCharacter(offset: start, expected: .digit)
        }
        return seconds
    }

    /// RFC 9651 §4.2.10: `%"`, printable ASCII with `%xx` (lowercase hex) escapes, `"`; the octets must be UTF-8.
    private mutating func parseDisplayString() throws(StructuredFieldError) -> String {
        let start = index
        index += 1
        guard peek() == UInt8(ascii: "\"") else {
            if peek() == nil { throw .unexpectedEnd(expected: .displayStringQuote) }
            throw .unexpectedCharacter(offset: index, expected: .displayStringQuote)
        }
        index += 1
        var octets: [UInt8] = []
        while let byte = peek() {
            index += 1
            switch byte {
            case UInt8(ascii: "%"):
                guard index + 1 < bytes.count,
                    let high = StructuredFieldGrammar.lowercaseHexValue(bytes[index]),
                    let low = StructuredFieldGrammar.lowercaseHexValue(bytes[index + 1])
                else { throw .invalidDisplayString(offset: index - 1) }
                octets.append(high << 4 | low)
                index += 2
            case UInt8(ascii: "\""):
                guard let text = String(validating: octets, as: UTF8.self) else {
                    throw .invalidDisplayString(offset: start)
                }
                return text
            case 0x20...0x7E:
                octets.append(byte)
            default:
                throw .invalidDisplayString(offset: index - 1)
            }
        }
        throw .unexpectedEnd(expected: .displayStringQuote)
    }

    // MARK: Helpers

    /// The input bytes in `range` as a String (they are ASCII), copied out of the borrowed buffer.
    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipSpaces() {
        while peek() == UInt8(ascii: " ") { index += 1 }
    }

    private mutating func skipOptionalWhitespace() {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { index += 1 }
    }
}
