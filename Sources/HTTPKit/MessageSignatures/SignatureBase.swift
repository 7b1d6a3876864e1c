/// The RFC 9421 §2.5 signature base: one `"<identifier>": <value>` line per covered component, then
/// `"@signature-params": …`, joined by LF with no trailing LF. These bytes are what the key signs.
public struct SignatureBase: Equatable, Sendable {
    /// Where the `@signature-params` value comes from (wire notes ambiguity A9).
    public enum ParamsSource: Equatable, Sendable {
        /// The member text exactly as received in `Signature-Input` (the default): whatever the signer
        /// serialized is what it signed, including non-canonical spacing such as `; created=`.
        case received
        /// The canonical RFC 8941 re-serialization of the parsed inner list.
        case canonical
    }

    /// The bytes to sign or verify (always ASCII).
    public let bytes: [UInt8]

    /// The base as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Builds the base for `input` over `request`. A missing field, an unknown component or a value that cannot
    /// be put on one line is an error: RFC 9421 §2.5 says the base then cannot be built.
    public init(
        input: SignatureInput, request: SignedRequestComponents, paramsSource: ParamsSource = .received,
        structuredFieldTypes: [String: StructuredFieldType] = SignatureBase.defaultStructuredFieldTypes
    ) throws(SignatureError) {
        // Written straight into one buffer: the base is built for every signed request.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        for component in input.components {
            let value = try Self.value(of: component, in: request, types: structuredFieldTypes)
            if component.parameters.isEmpty {
                // The same bytes as `description`, without building that String (the usual identifier).
                bytes.append(UInt8(ascii: "\""))
                Self.append(component.name, to: &bytes)
                bytes.append(UInt8(ascii: "\""))
            } else {
                Self.append(component.description, to: &bytes)
            }
            bytes.append(UInt8(ascii: ":"))
            bytes.append(UInt8(ascii: " "))
            Self.append(value, to: &bytes)
            bytes.append(0x0A)
        }
        let params: String
        switch paramsSource {
        case .received: params = input.rawValue ?? input.canonicalValue
        case .canonical: params = input.canonicalValue
        }
        bytes.append(contentsOf: "\"@signature-params\": ".utf8)
        Self.append(params, to: &bytes)
        self.bytes = bytes
    }

    /// Appends the UTF-8 of `text`, copied as one block when the String is stored contiguously (the usual case).
    private static func append(_ text: String, to bytes: inout [UInt8]) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
        if copied == nil { bytes.append(contentsOf: text.utf8) }
    }

    static func value(
        of component: ComponentIdentifier, in request: SignedRequestComponents, types: [String: StructuredFieldType]
    ) throws(SignatureError) -> String {
        let value: String
        // Every derived name starts with "@"; a field name skips their comparisons.
        if !component.isDerived {
            value = try fieldValue(of: component, in: request, types: types)
        } else {
            value = try derivedValue(of: component, in: request)
        }
        // RFC 9421 §2.5: the base is ASCII (non-ASCII fields need `;bs`), and every value sits on one line, so
        // control characters, which could forge extra lines, are refused.
        guard isOneLineASCII(value) else { throw .invalidComponentValue(component.description) }
        return value
    }

    /// The value of a derived component (RFC 9421 §2.2).
    private static func derivedValue(of component: ComponentIdentifier, in request: SignedRequestComponents)
        throws(SignatureError) -> String
    {
        let value: String
        switch component.name {
        case "@method": value = request.method
        case "@authority": value = request.normalizedAuthority
        case "@path": value = request.normalizedPath
        case "@query": value = request.normalizedQuery
        case "@target-uri": value = request.targetURI
        case "@scheme": value = request.scheme.lowercased()
        case "@request-target": value = request.requestTarget
        case "@query-param": value = try QueryParameterComponent.value(for: component, query: request.query)
        default: throw .invalidComponentIdentifier(component.description)
        }
        return value
    }

    /// Whether `value` has no byte outside printable ASCII and HTAB.
    private static func isOneLineASCII(_ value: String) -> Bool {
        let isRefused: (UInt8) -> Bool = { ($0 < 0x20 && $0 != 0x09) || $0 >= 0x7F }
        // A native String's bytes are scanned in place; anything else goes through the UTF-8 view.
        if let contiguous = value.utf8.withContiguousStorageIfAvailable({
            StructuredFieldGrammar.firstNonVisibleOffset($0) == nil
        }) {
            return contiguous
        }
        return !value.utf8.contains(where: isRefused)
    }

    /// RFC 9421 §2.1: trim each field line, replace obs-fold by one SP, join lines with ", ";
    /// then apply `sf` (§2.1.1), `key` (§2.1.2) or `bs` (§2.1.3).
    static func fieldValue(
        of component: ComponentIdentifier, in request: SignedRequestComponents, types: [String: StructuredFieldType]
    ) throws(SignatureError) -> String {
        let received = request.fieldLines(component.name)
        if case .none = received { throw .missingComponentValue(component.description) }
        if component.parameters["bs"] != nil {
            return received.all.map { ":" + ByteSequenceCoding.encode(Array(canonicalizedLine($0).utf8)) + ":" }
                .joined(separator: ", ")
        }
        // One line is the usual case: canonicalized as it is, with no array of lines and nothing to join.
        let combined: String
        switch received {
        case .none: throw .missingComponentValue(component.description)
        case .one(let line): combined = canonicalizedLine(line)
        case .several(let lines): combined = lines.map(canonicalizedLine).joined(separator: ", ")
        }
        if case .string(let key) = component.parameters["key"] {
            let dictionary: StructuredField.Dictionary
            do { dictionary = try StructuredField.parseDictionary(combined) } catch {
                throw .invalidComponentValue(component.description)
            }
            guard let member = dictionary[key] else { throw .missingComponentValue(component.description) }
            do { return try StructuredField.serialize([member]) } catch {
                throw .invalidComponentValue(component.description)
            }
        }
        if component.parameters["sf"] != nil {
            return try strictlySerialized(combined, component: component, types: types)
        }
        return combined
    }

    /// Field types known for `;sf`: RFC 9421 §2.1.1 needs the type, and guessing it would be unsafe
    /// (`a, a` is a two-member List but a one-member Dictionary).
    public static let defaultStructuredFieldTypes: [String: StructuredFieldType] = [
        "signature-input": .dictionary, "signature": .dictionary, "signature-key": .dictionary,
        "content-digest": .dictionary, "want-content-digest": .dictionary, "repr-digest": .dictionary,
        "signature-error": .dictionary, "aauth-requirement": .dictionary, "priority": .dictionary,
        "accept-signature-scheme": .list, "accept-signature-alg": .list, "cache-status": .list,
    ]

    /// The top-level type of a structured field, needed to re-serialize it for `;sf`.
    public enum StructuredFieldType: Equatable, Sendable {
        case list, dictionary, item
    }

    private static func strictlySerialized(
        _ combined: String, component: ComponentIdentifier, types: [String: StructuredFieldType]
    ) throws(SignatureError) -> String {
        guard let type = types[component.name] else {
            throw .invalidComponentIdentifier(component.description)
        }
        do {
            switch type {
            case .list: return try StructuredField.serialize(StructuredField.parseList(combined))
            case .dictionary: return try StructuredField.serialize(StructuredField.parseDictionary(combined))
            case .item: return try StructuredField.serialize(StructuredField.parseItem(combined))
            }
        } catch {
            throw .invalidComponentValue(component.description)
        }
    }

    private static func canonicalizedLine(_ line: String) -> String {
        // The usual line has nothing to fold or trim and is returned as it is.
        let plain = line.utf8.withContiguousStorageIfAvailable { view -> Bool in
            guard let first = view.first, let last = view.last else { return true }
            if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return false }
            return !view.contains(where: { $0 == 0x0A || $0 == 0x0D })
        }
        if plain == true { return line }
        var bytes = Array(line.utf8)
        // obs-fold (RFC 9112 §5.2): CRLF or LF followed by SP/HTAB becomes one SP.
        var folded: [UInt8] = []
        folded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            var next = index
            if bytes[next] == 0x0D, next + 1 < bytes.count, bytes[next + 1] == 0x0A { next += 1 }
            if bytes[next] == 0x0A, next + 1 < bytes.count, bytes[next + 1] == 0x20 || bytes[next + 1] == 0x09 {
                next += 1
                while next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x09 { next += 1 }
                while folded.last == 0x20 || folded.last == 0x09 { folded.removeLast() }
                folded.append(0x20)
                index = next
                continue
            }
            folded.append(bytes[index])
            index += 1
        }
        bytes = folded
        let isWhitespace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = bytes.firstIndex(where: { !isWhitespace($0) }),
            let last = bytes.lastIndex(where: { !isWhitespace($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
