/// A JSON value with one byte serialization, used for every byte sequence this domain hashes
/// (mission blobs, amendments, audit events).
///
/// The form is `CanonicalJSON`'s (RFC 8785 member order, minimal escaping, raw UTF-8), written by
/// the same string writer; this tree holds integers only, so writing it cannot fail, which keeps
/// `throws` out of the audit append path.
enum CanonicalValue: Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case array([CanonicalValue])
    case object([String: CanonicalValue])
    case null

    /// The canonical bytes of this value.
    var bytes: [UInt8] {
        var output: [UInt8] = []
        write(into: &output)
        return output
    }

    private func write(into output: inout [UInt8]) {
        switch self {
        case .string(let text):
            CanonicalJSON.writeString(text, to: &output)
        case .integer(let value):
            output.append(contentsOf: Array(String(value).utf8))
        case .bool(let value):
            output.append(contentsOf: Array((value ? "true" : "false").utf8))
        case .null:
            output.append(contentsOf: Array("null".utf8))
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                item.write(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            let names = members.keys.sorted(by: CanonicalJSON.precedes)
            for (index, name) in names.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                CanonicalJSON.writeString(name, to: &output)
                output.append(UInt8(ascii: ":"))
                members[name]?.write(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }
}

extension CanonicalValue {
    /// An object built from optional members: `nil` values are left out (absent, not `null`).
    static func members(_ pairs: [(String, CanonicalValue?)]) -> CanonicalValue {
        var object: [String: CanonicalValue] = [:]
        for (name, value) in pairs {
            if let value { object[name] = value }
        }
        return .object(object)
    }

    static func strings(_ values: [String]) -> CanonicalValue {
        .array(values.map { .string($0) })
    }
}
