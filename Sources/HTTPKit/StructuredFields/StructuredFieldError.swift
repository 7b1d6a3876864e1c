/// Why a structured field value could not be parsed or serialized; offsets are byte offsets into the field value.
public enum StructuredFieldError: Error, Equatable, Sendable {
    /// The field value is longer than `StructuredFieldLimits.maxInputLength`.
    case inputTooLong(length: Int, limit: Int)
    /// A byte outside visible ASCII, SP and HTAB (RFC 8941 §4.2: fields are ASCII).
    case nonASCIICharacter(offset: Int)
    /// The input ended where more was required.
    case unexpectedEnd(expected: Expectation)
    /// A character that the grammar does not allow at this position.
    case unexpectedCharacter(offset: Int, expected: Expectation)
    /// An Integer longer than 15 digits or a Decimal with more than 12 integer or 3 fractional digits (§4.2.4).
    case numberTooLong(offset: Int)
    /// A Decimal ending with "." (§4.2.4 step 9).
    case decimalWithoutFraction(offset: Int)
    /// A String escape other than `\"` or `\\` (§4.2.5).
    case invalidEscape(offset: Int)
    /// A Byte Sequence whose content is not base64 (§4.2.7).
    case invalidByteSequence(offset: Int)
    /// A Display String that is not valid percent-encoded UTF-8 (RFC 9651 §4.2.10).
    case invalidDisplayString(offset: Int)
    /// A comma followed by nothing (§4.2.1 step 2.6).
    case trailingComma(offset: Int)
    /// Characters left after a complete top-level value (§4.2 step 6).
    case trailingCharacters(offset: Int)
    /// More members or inner-list items than `StructuredFieldLimits.maxMembers`.
    case tooManyMembers(limit: Int)
    /// More parameters on one item than `StructuredFieldLimits.maxParameters`.
    case tooManyParameters(limit: Int)
    /// A member that a specific field requires is absent or has the wrong type (e.g. `requirement`).
    case missingMember(String)
    /// Serialization: an Integer or Date outside ±999,999,999,999,999 (§4.1.4).
    case integerOutOfRange(Int64)
    /// Serialization: a Decimal whose integer part has more than 12 digits (§4.1.5).
    case decimalOutOfRange
    /// Serialization: a String with a character outside %x20-7E (§4.1.6).
    case invalidStringCharacter(String)
    /// Serialization: a Token that does not match the token grammar (§4.1.7).
    case invalidToken(String)
    /// Serialization: a key that does not match the key grammar (§4.1.1.3).
    case invalidKey(String)

    /// What the parser was looking for when it failed.
    public enum Expectation: String, Equatable, Sendable {
        case item, bareItem, key, comma, innerListDelimiter, booleanValue, digit, stringQuote, byteSequenceEnd
        case displayStringQuote
    }
}
