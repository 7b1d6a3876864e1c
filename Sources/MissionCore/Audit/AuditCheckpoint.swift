/// A trusted point in the chain: the sequence number of an event and that event's hash.
/// Kept outside the database (exported, signed or written down), it lets `AuditChain.verify`
/// detect truncation and rewrites of everything up to it.
public struct AuditCheckpoint: Hashable, Codable, Sendable {
    public let sequence: Int64
    public let hash: [UInt8]

    public init(sequence: Int64, hash: [UInt8]) {
        self.sequence = sequence
        self.hash = hash
    }

    /// Before the first event: sequence 0 and 32 zero bytes.
    public static let genesis = AuditCheckpoint(sequence: 0, hash: [UInt8](repeating: 0, count: SHA256.byteCount))
}
