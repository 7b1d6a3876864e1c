import Foundation

/// JSON text for the CLI's own output and request bodies: keys sorted, `/` left unescaped.
enum JSONText {
    /// One line of JSON for `object` (a `JSONSerialization`-compatible value).
    static func compact(_ object: Any) -> String {
        String(decoding: data(object, pretty: false), as: UTF8.self)
    }

    /// `object` as compact JSON bytes, for a request body.
    static func bytes(_ object: Any) -> [UInt8] { Array(data(object, pretty: false)) }

    /// The bytes of `object` as compact JSON.
    static func data(_ object: Any, pretty: Bool) -> Data {
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { options.insert(.prettyPrinted) }
        // Only called with values built from strings, numbers, booleans, arrays and dictionaries.
        return (try? JSONSerialization.data(withJSONObject: object, options: options)) ?? Data("null".utf8)
    }

    /// `bytes` re-indented for reading, or `nil` when they are not a JSON object or array.
    static func pretty(_ bytes: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)),
            object is [String: Any] || object is [Any]
        else { return nil }
        return String(decoding: data(object, pretty: true), as: UTF8.self)
    }
}
