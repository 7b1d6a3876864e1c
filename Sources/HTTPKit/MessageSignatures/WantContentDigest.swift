/// RFC 9530 §4 `Want-Content-Digest`: a Dictionary of algorithm → preference Integer 0…10 (0 = not acceptable).
public struct WantContentDigest: Equatable, Sendable {
    /// The preferences as received.
    public let preferences: [(algorithm: String, preference: Int64)]

    /// Creates preferences for sending.
    public init(_ preferences: [(algorithm: String, preference: Int64)]) {
        self.preferences = preferences
    }

    /// Parses the field value; a member that is not an Integer in 0…10 is an error (RFC 9530 §4).
    public init(parsing fieldValue: String, limits: StructuredFieldLimits = .default) throws(SignatureError) {
        let dictionary: StructuredField.Dictionary
        do { dictionary = try StructuredField.parseDictionary(fieldValue, limits: limits) } catch {
            throw .malformedField("want-content-digest", error)
        }
        var preferences: [(String, Int64)] = []
        for member in dictionary.members {
            guard case .item(let item) = member.value, case .integer(let value) = item.bareItem,
                (0...10).contains(value)
            else { throw .invalidMember(field: "want-content-digest", key: member.key) }
            preferences.append((member.key, value))
        }
        self.preferences = preferences
    }

    /// The supported algorithm with the highest non-zero preference (ties: the stronger algorithm).
    public func preferredAlgorithm(supported: [ContentDigest.Algorithm] = ContentDigest.Algorithm.allCases)
        -> ContentDigest.Algorithm?
    {
        var best: (ContentDigest.Algorithm, Int64)?
        for algorithm in ContentDigest.Algorithm.allCases where supported.contains(algorithm) {
            guard let preference = preferences.first(where: { $0.algorithm == algorithm.rawValue })?.preference,
                preference > 0
            else { continue }
            if let current = best, preference <= current.1 { continue }
            best = (algorithm, preference)
        }
        return best?.0
    }

    /// The field value, e.g. `sha-512=3, sha-256=10`.
    public var fieldValue: String {
        preferences.map { $0.algorithm + "=" + String($0.preference) }.joined(separator: ", ")
    }

    public static func == (lhs: WantContentDigest, rhs: WantContentDigest) -> Bool {
        lhs.preferences.elementsEqual(rhs.preferences) {
            $0.algorithm == $1.algorithm && $0.preference == $1.preference
        }
    }
}
