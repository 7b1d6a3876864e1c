import Foundation

/// One question of the clarification chat and the agent's answer to it ([M] §Clarification Chat).
public struct ClarificationRound: Hashable, Codable, Sendable {
    /// Asked by the reviewer (Markdown).
    public let question: String
    public let askedBy: String
    public let askedAt: Date
    /// Given by the agent (untrusted Markdown: sanitise before display).
    public internal(set) var answer: String?
    public internal(set) var answeredAt: Date?

    /// Whether the agent still owes an answer.
    public var isOpen: Bool { answer == nil }
}
