extension StructuredField {
    /// A bare item (RFC 8941 §3.3; Date and Display String from RFC 9651 §3.3.7–3.3.8).
    public enum BareItem: Hashable, Sendable {
        /// An Integer in ±999,999,999,999,999.
        case integer(Int64)
        /// A Decimal with up to 12 integer and 3 fractional digits.
        case decimal(Decimal)
        /// A String of printable ASCII.
        case string(String)
        /// A Token (starts with ALPHA or "*").
        case token(String)
        /// A Byte Sequence (base64 between colons on the wire).
        case byteSequence([UInt8])
        /// A Boolean (`?1` / `?0`).
        case boolean(Bool)
        /// A Date: Unix seconds (RFC 9651 `@1659578233`).
        case date(Int64)
        /// A Display String: Unicode text (RFC 9651 `%"f%c3%bc"`).
        case displayString(String)

        /// The integer, if this is an Integer.
        public var integerValue: Int64? {
            if case .integer(let value) = self { return value }
            return nil
        }

        /// The string, if this is a String.
        public var stringValue: String? {
            if case .string(let value) = self { return value }
            return nil
        }

        /// The token text, if this is a Token.
        public var tokenValue: String? {
            if case .token(let value) = self { return value }
            return nil
        }

        /// The bytes, if this is a Byte Sequence.
        public var byteSequenceValue: [UInt8]? {
            if case .byteSequence(let value) = self { return value }
            return nil
        }

        /// The truth value, if this is a Boolean.
        public var booleanValue: Bool? {
            if case .boolean(let value) = self { return value }
            return nil
        }
    }
}
