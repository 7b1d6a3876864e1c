/// The RFC 8941 §4.1 serialization algorithms.
enum StructuredFieldSerializer {
    static let maxInteger: Int64 = 999_999_999_999_999

    static func appendList(_ list: [StructuredField.ListMember], to output: inout String) throws(StructuredFieldError) {
        for (position, member) in list.enumerated() {
            if position > 0 { output += ", " }
            try appendMember(member, to: &output)
        }
    }

    static func appendDictionary(
        _ dictionary: StructuredField.Dictionary, to output: inout String
    ) throws(StructuredFieldError) {
        for (position, member) in dictionary.members.enumerated() {
            if position > 0 { output += ", " }
            try appendKey(member.key, to: &output)
            // §4.1.2 step 2.3: a Boolean true item is written as the bare key plus parameters.
            if case .item(let item) = member.value, item.bareItem == .boolean(true) {
                try appendParameters(item.parameters, to: &output)
            } else {
                output += "="
                try appendMember(member.value, to: &output)
            }
        }
    }

    static func appendMember(_ member: StructuredField.ListMember, to output: inout String) throws(StructuredFieldError)
    {
        switch member {
        case .item(let item): try appendItem(item, to: &output)
        case .innerList(let list): try appendInnerList(list, to: &output)
        }
    }

    static func appendInnerList(
        _ list: StructuredField.InnerList, to output: inout String
    ) throws(StructuredFieldError) {
        output += "("
        for (position, item) in list.items.enumerated() {
            if position > 0 { output += " " }
            try appendItem(item, to: &output)
        }
        output += ")"
        try appendParameters(list.parameters, to: &output)
    }

    static func appendItem(_ item: StructuredField.Item, to output: inout String) throws(StructuredFieldError) {
        try appendBareItem(item.bareItem, to: &output)
        try appendParameters(item.parameters, to: &output)
    }

    static func appendParameters(
        _ parameters: StructuredField.Parameters, to output: inout String
    ) throws(StructuredFieldError) {
        for (key, value) in parameters.entries {
            output += ";"
            try appendKey(key, to: &output)
            if value != .boolean(true) {
                output += "="
                try appendBareItem(value, to: &output)
            }
        }
    }

    static func appendKey(_ key: String, to output: inout String) throws(StructuredFieldError) {
        guard StructuredFieldGrammar.isValidKey(key) else { throw .invalidKey(key) }
        output += key
    }

    static func appendBareItem(_ item: StructuredField.BareItem, to output: inout String) throws(StructuredFieldError) {
        switch item {
        case .integer(let value):
            guard (-maxInteger...maxInteger).contains(value) else { throw .integerOutOfRange(value) }
            output += String(value)
        case .decimal(let value):
            // Thousandths are already rounded to three digits; only the 12-digit integer part can overflow.
            guard value.thousandths.magnitude / 1000 <= 999_999_999_999 else { throw .decimalOutOfRange }
            output += value.description
        case .string(let value):
            output += try serializedString(value)
        case .token(let value):
            guard StructuredFieldGrammar.isValidToken(value) else { throw .invalidToken(value) }
            output += value
        case .byteSequence(let bytes):
            output += ":" + ByteSequenceCoding.encode(bytes) + ":"
        case .boolean(let value):
            output += value ? "?1" : "?0"
        case .date(let seconds):
            guard (-maxInteger...maxInteger).contains(seconds) else { throw .integerOutOfRange(seconds) }
            output += "@" + String(seconds)
        case .displayString(let text):
            output += serializedDisplayString(text)
        }
    }

    /// §4.1.6: printable ASCII only, with `"` and `\` escaped.
    static func serializedString(_ value: String) throws(StructuredFieldError) -> String {
        var output = "\""
        for byte in value.utf8 {
            guard byte >= 0x20 && byte <= 0x7E else { throw .invalidStringCharacter(value) }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { output += "\\" }
            output.unicodeScalars.append(Unicode.Scalar(byte))
        }
        return output + "\""
    }

    /// RFC 9651 §4.1.11: percent-encode `%`, `"` and every octet outside %x20-7E, with lowercase hex.
    static func serializedDisplayString(_ text: String) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var output: [UInt8] = Array("%\"".utf8)
        for byte in text.utf8 {
            if byte == UInt8(ascii: "%") || byte == UInt8(ascii: "\"") || byte < 0x20 || byte > 0x7E {
                output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            } else {
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
        return String(decoding: output, as: UTF8.self)
    }
}
