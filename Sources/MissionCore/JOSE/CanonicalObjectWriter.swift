/// Writes one JSON object straight into bytes, member by member, for fixed member sets (the auth
/// token's claims, a JWK, the MA's answer with a granted token) whose canonical form would otherwise go through a `[String: JSONValue]`
/// tree, a sort and a generic encoder on every token.
///
/// The caller names the members in canonical order (RFC 8785 §3.2.3, as `CanonicalJSON.precedes`
/// decides); a debug build checks every name against the previous one, so the output is exactly
/// `CanonicalJSON.encode` of the same object. Strings are escaped by `CanonicalJSON.writeString`.
///
/// ```swift
/// var object = CanonicalObjectWriter()
/// object.member("exp", integer: 1_780_000_300)
/// object.member("iss", string: "https://ma.example")
/// let bytes = object.finish()   // {"exp":1780000300,"iss":"https://ma.example"}
/// ```
package struct CanonicalObjectWriter {
    private(set) var output: [UInt8]
    private var isEmpty = true
    #if DEBUG
        private var previousName: String?
    #endif

    /// Starts an object; `capacity` is a hint for the whole output.
    package init(capacity: Int = 256) {
        output = []
        output.reserveCapacity(capacity)
        output.append(UInt8(ascii: "{"))
    }

    /// Member names are literals that need no escaping, so their bytes are copied as they are.
    private mutating func name(_ name: StaticString) {
        #if DEBUG
            let text = name.description
            precondition(
                name.hasPointerRepresentation
                    && !text.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") },
                "member name \(text) would need escaping")
            if let previousName {
                precondition(CanonicalJSON.precedes(previousName, text), "member \(text) out of canonical order")
            }
            previousName = text
        #endif
        if !isEmpty { output.append(UInt8(ascii: ",")) }
        isEmpty = false
        output.append(UInt8(ascii: "\""))
        output.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        output.append(UInt8(ascii: "\""))
        output.append(UInt8(ascii: ":"))
    }

    /// A string member whose value is the unpadded base64url encoding of `bytes` (which needs
    /// no escaping), written without an intermediate `String`.
    package mutating func member(_ name: StaticString, base64URL bytes: [UInt8]) {
        self.name(name)
        output.append(UInt8(ascii: "\""))
        Base64URL.append(bytes, to: &output)
        output.append(UInt8(ascii: "\""))
    }

    /// A string member.
    package mutating func member(_ name: StaticString, string value: String) {
        self.name(name)
        CanonicalJSON.writeString(value, to: &output)
    }

    /// An integer member.
    package mutating func member(_ name: StaticString, integer value: Int64) {
        self.name(name)
        CanonicalJSON.writeInteger(value, to: &output)
    }

    /// A member whose value is a nested object written by `body`.
    package mutating func member(_ name: StaticString, object body: (inout CanonicalObjectWriter) -> Void) {
        self.name(name)
        // The buffer is swapped into the nested writer and back, so it has one owner throughout.
        // (Passing `output` to an initializer and clearing it afterwards left two references while
        // the initializer appended "{": a copy-on-write of the whole buffer, and a buffer sized to
        // its contents that the next members had to grow again, for every nested object.)
        var nested = CanonicalObjectWriter(detached: ())
        swap(&nested.output, &output)
        nested.output.append(UInt8(ascii: "{"))
        body(&nested)
        nested.output.append(UInt8(ascii: "}"))
        swap(&output, &nested.output)
    }

    /// A writer with no buffer of its own, about to take over its parent's.
    private init(detached: ()) {
        output = []
    }

    /// Closes the object and returns its bytes.
    package consuming func finish() -> [UInt8] {
        output.append(UInt8(ascii: "}"))
        return output
    }
}
