/// RFC 9530 `Content-Digest`: a Dictionary of algorithm → Byte Sequence. The caller hashes the body and compares
/// (constant time) with `expectedDigest`.
public struct ContentDigest: Equatable, Sendable {
    /// Digest algorithms this code knows, strongest first.
    public enum Algorithm: String, CaseIterable, Sendable {
        case sha512 = "sha-512"
        case sha256 = "sha-256"

        /// The digest length in bytes.
        public var digestLength: Int { self == .sha512 ? 64 : 32 }
    }

    /// The members as received: algorithm name and digest bytes.
    public let digests: [(algorithm: String, digest: [UInt8])]

    /// Parses the field value; every member must be a Byte Sequence (parameters are ignored).
    public init(parsing fieldValue: String, limits: StructuredFieldLimits = .default) throws(SignatureError) {
        if let single = Self.singleMember(Array(fieldValue.utf8), limits: limits) {
            digests = single
        } else {
            digests = try Self.generalDigests(fieldValue, limits: limits)
        }
    }

    /// The members through the RFC 8941 dictionary parser: every shape, every error.
    static func generalDigests(_ fieldValue: String, limits: StructuredFieldLimits) throws(SignatureError)
        -> [(algorithm: String, digest: [UInt8])]
    {
        let dictionary: StructuredField.Dictionary
        do { dictionary = try StructuredField.parseDictionary(fieldValue, limits: limits) } catch {
            throw .malformedField("content-digest", error)
        }
        var digests: [(algorithm: String, digest: [UInt8])] = []
        for member in dictionary.members {
            guard case .item(let item) = member.value, case .byteSequence(let bytes) = item.bareItem else {
                throw .invalidMember(field: "content-digest", key: member.key)
            }
            digests.append((member.key, bytes))
        }
        return digests
    }

    /// The usual field, exactly `key=:base64:` and nothing else, read without building a dictionary; `nil` for any
    /// other shape or any fault, which the general parser then handles (and reports). On the shapes it accepts it
    /// gives what the parser gives: an RFC 8941 §4.2.2 key, `=`, a §4.2.7 Byte Sequence decoded by the same
    /// decoder, no parameters, no whitespace, within the input and member limits.
    static func singleMember(_ bytes: [UInt8], limits: StructuredFieldLimits) -> [(algorithm: String, digest: [UInt8])]?
    {
        guard bytes.count <= limits.maxInputLength, limits.maxMembers >= 1,
            let first = bytes.first, StructuredFieldGrammar.isKeyStart(first)
        else { return nil }
        var keyEnd = 1
        while keyEnd < bytes.count, StructuredFieldGrammar.isKeyCharacter(bytes[keyEnd]) { keyEnd += 1 }
        // `=:` then content then the closing `:` as the very last byte, with no other `:` in between.
        let contentStart = keyEnd + 2
        let last = bytes.count - 1
        guard contentStart <= last, bytes[keyEnd] == UInt8(ascii: "="), bytes[keyEnd + 1] == UInt8(ascii: ":"),
            bytes[last] == UInt8(ascii: ":"), !bytes[contentStart..<last].contains(UInt8(ascii: ":")),
            let digest = ByteSequenceCoding.decode(
                bytes[contentStart..<last], allowsURLAlphabet: limits.allowsBase64URLByteSequences)
        else { return nil }
        let key = bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[..<keyEnd]), as: UTF8.self)
        }
        return [(key, digest)]
    }

    /// The strongest supported digest present, checked for length; `unsupportedDigest` when none is usable.
    public func expectedDigest(supported: [Algorithm] = Algorithm.allCases) throws(SignatureError)
        -> (algorithm: Algorithm, digest: [UInt8])
    {
        for algorithm in Algorithm.allCases where supported.contains(algorithm) {
            guard let entry = digests.first(where: { $0.algorithm == algorithm.rawValue }) else { continue }
            guard entry.digest.count == algorithm.digestLength else { throw .unsupportedDigest }
            return (algorithm, entry.digest)
        }
        throw .unsupportedDigest
    }

    /// The field value for one digest, e.g. `sha-256=:…:`.
    public static func fieldValue(algorithm: Algorithm, digest: [UInt8]) -> String {
        algorithm.rawValue + "=:" + ByteSequenceCoding.encode(digest) + ":"
    }

    public static func == (lhs: ContentDigest, rhs: ContentDigest) -> Bool {
        lhs.digests.elementsEqual(rhs.digests) { $0.algorithm == $1.algorithm && $0.digest == $1.digest }
    }
}
