/// A business event from an external system (`POST /missions/{s256}/events`, [A] §Mission
/// Control): e.g. a ticket closed, so the mission is complete. Untrusted input, validated here.
public struct BusinessEvent: Hashable, Codable, Sendable {
    /// What the event asks the MA to do to the mission.
    public enum Action: String, Hashable, Codable, Sendable {
        /// Record only.
        case record
        case complete, suspend, revoke

        /// The lifecycle event it triggers, if any.
        public var missionEvent: MissionEvent? {
            switch self {
            case .record: nil
            case .complete: .complete
            case .suspend: .suspend
            case .revoke: .revoke
            }
        }
    }

    /// The longest `type`, `source` or `reference` accepted.
    public static let maximumFieldBytes = 512

    /// A token-like event type, e.g. `ticket_closed`.
    public let type: String
    /// The reporting system, an https URL.
    public let source: String
    /// The system's own reference, e.g. `TICKET-1234`.
    public let reference: String
    public let action: Action

    /// Validates every field: `type` of letters, digits, `_ . -`; `source` an https URL whose
    /// host is a valid origin; `reference` printable ASCII without quotes or backslashes.
    public init(type: String, source: String, reference: String, action: Action) throws(MissionError) {
        let limit = BusinessEvent.maximumFieldBytes
        guard !type.isEmpty, type.utf8.count <= limit,
            type.utf8.allSatisfy({
                Origin.isHostByte($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0)
            })
        else { throw .invalidConfiguration("event type: 1…\(limit) bytes of letters, digits, _ . -") }
        guard source.utf8.count <= limit, source.hasPrefix("https://") else {
            throw .invalidConfiguration("event source: an https URL")
        }
        do { _ = try Origin("https://" + source.dropFirst("https://".count).prefix { $0 != "/" }) } catch {
            throw .invalidConfiguration("event source: \(error)")
        }
        guard !reference.isEmpty, reference.utf8.count <= limit,
            reference.utf8.allSatisfy({
                (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\")
            })
        else { throw .invalidConfiguration("event reference: 1…\(limit) printable ASCII characters") }
        self.type = type
        self.source = source
        self.reference = reference
        self.action = action
    }
}
