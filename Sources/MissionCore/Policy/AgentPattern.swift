/// Which agents a rule applies to: an exact identifier, or a glob where `*` matches any run of
/// characters (including none), e.g. `aauth:*@agent.example`. No other metacharacters.
public struct AgentPattern: Hashable, Codable, Sendable, CustomStringConvertible {
    public let pattern: String

    /// Refuses an empty or oversized pattern, and a bare `*` (a rule for every agent must be
    /// written deliberately as such: use `AgentPattern.anyAgent`).
    public init(_ pattern: String) throws(MissionError) {
        guard !pattern.isEmpty, pattern.utf8.count <= 512 else {
            throw .invalidConfiguration("agent pattern: 1…512 bytes")
        }
        guard pattern.contains(where: { $0 != "*" }) else {
            throw .invalidConfiguration("agent pattern: use AgentPattern.anyAgent to match every agent")
        }
        self.pattern = pattern
    }

    private init(unchecked pattern: String) { self.pattern = pattern }

    /// Matches every agent.
    public static let anyAgent = AgentPattern(unchecked: "*")

    public var description: String { pattern }

    /// Whether `agent` matches. Linear-time greedy matching with one backtrack point, so a
    /// hostile identifier cannot make it slow.
    public func matches(_ agent: String) -> Bool {
        let text = Array(agent.unicodeScalars)
        let glob = Array(pattern.unicodeScalars)
        var t = 0, g = 0
        var starAt: Int?
        var resumeAt = 0
        while t < text.count {
            if g < glob.count, glob[g] == "*" {
                starAt = g
                resumeAt = t
                g += 1
            } else if g < glob.count, glob[g] == text[t] {
                g += 1
                t += 1
            } else if let star = starAt {
                g = star + 1
                resumeAt += 1
                t = resumeAt
            } else {
                return false
            }
        }
        while g < glob.count, glob[g] == "*" { g += 1 }
        return g == glob.count
    }
}
