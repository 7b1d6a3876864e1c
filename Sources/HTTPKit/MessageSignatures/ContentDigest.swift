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
        let dictionary: StructuredField.Dictionary
        do { dictionary = try StructuredField.parseDictionary(fieldValue, limits: limits) } catch {
            throw .malformedField("content-digest", error)
        }
        var digests: [(String, [UInt8])] = []
        for member in dictionary.members {
            guard case .item(let item) = member.value, case .byteSequence(let bytes) = item.bareItem else {
                throw .invalidMember(field: "content-digest", key: member.key)
            }
            digests.append((member.key, bytes))
        }
        self.digests = digests
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
