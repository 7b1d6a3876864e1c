/// Finds what Foundation's `JSONDecoder` silently accepts but a strict server must refuse:
/// duplicate member names in one object (RFC 8259 §4 says names SHOULD be unique; [MG] requires
/// rejecting duplicates, because two parsers may pick different values) and excessive nesting.
///
/// A scanner over the raw bytes, not a parser: syntax errors are left for the decoder to report,
/// and on malformed input this only has to terminate without trapping.
enum JSONMemberCheck {
    enum Problem: Equatable, Sendable {
        case duplicateMember(String)
        case tooDeep
    }

    private enum Frame {
        case object(names: Set<[UInt16]>, expectingName: Bool)
        case array
    }

    /// The first problem in `bytes`, or `nil`.
    static func firstProblem(in bytes: [UInt8], maximumDepth: Int = 64) -> Problem? {
        var stack: [Frame] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"):
                guard stack.count < maximumDepth else { return .tooDeep }
                stack.append(.object(names: [], expectingName: true))
                index += 1
            case UInt8(ascii: "["):
                guard stack.count < maximumDepth else { return .tooDeep }
                stack.append(.array)
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
                index += 1
            case UInt8(ascii: ","):
                if case .object(let names, _) = stack.last {
                    stack[stack.count - 1] = .object(names: names, expectingName: true)
                }
                index += 1
            case UInt8(ascii: ":"):
                if case .object(let names, _) = stack.last {
                    stack[stack.count - 1] = .object(names: names, expectingName: false)
                }
                index += 1
            case UInt8(ascii: "\""):
                let (units, next) = decodeString(bytes, from: index + 1)
                if case .object(var names, true) = stack.last {
                    guard names.insert(units).inserted else {
                        return .duplicateMember(String(decoding: units, as: UTF16.self))
                    }
                    stack[stack.count - 1] = .object(names: names, expectingName: false)
                }
                index = next
            default:
                index += 1
            }
        }
        return nil
    }

    /// The UTF-16 code units of the string starting after its opening quote, and the index after
    /// its closing quote. Escapes are resolved so `"a"` and `"\u0061"` compare equal.
    private static func decodeString(_ bytes: [UInt8], from start: Int) -> ([UInt16], Int) {
        var units: [UInt16] = []
        var raw: [UInt8] = []
        var index = start
        func flushRaw() {
            if !raw.isEmpty { units += String(decoding: raw, as: UTF8.self).utf16; raw.removeAll() }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { flushRaw(); return (units, index + 1) }
            guard byte == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                raw.append(byte)
                index += 1
                continue
            }
            flushRaw()
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): units.append(0x08)
            case UInt8(ascii: "f"): units.append(0x0C)
            case UInt8(ascii: "n"): units.append(0x0A)
            case UInt8(ascii: "r"): units.append(0x0D)
            case UInt8(ascii: "t"): units.append(0x09)
            case UInt8(ascii: "u"):
                guard index + 4 <= bytes.count,
                    let value = UInt16(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
                else { continue }
                units.append(value)
                index += 4
            default: units.append(UInt16(escape))
            }
        }
        flushRaw()
        return (units, index)
    }
}
