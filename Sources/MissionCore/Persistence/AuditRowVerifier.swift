import CSQLite

/// Verifies stored audit rows straight from SQLite's column buffers: no `AuditEvent`, no
/// `String`s, no JSON parsing; one canonical-bytes buffer and one SHA-256 context for the whole
/// range. The checks are `AuditChain.verify`'s, in its order: the sequence follows on, the stored
/// `prev_hash` is the previous event's stored hash, and the content hashes to the stored hash.
///
/// Every hashed member is hashed from its stored bytes. `scopes` and `details` are stored as the
/// canonical JSON that was hashed, so they are hashed as stored: any edit of them, even one that
/// only changes their spelling, breaks the link. Unknown roles or actions and wrongly typed
/// columns are reported as errors, as the decoding path does.
final class AuditRowVerifier {
    private var sequence: Int64
    /// The hash of the last event checked; swapped with `computed`, so no row allocates one.
    private var expected: [UInt8]
    private var computed = [UInt8](repeating: 0, count: SHA256.byteCount)
    private var writer = AuditCanonicalForm.Writer()
    private let hasher = AuditHasher()

    init(after start: AuditCheckpoint) {
        sequence = start.sequence
        expected = start.hash
    }

    /// The last event checked (or the range's starting point).
    var head: AuditCheckpoint { AuditCheckpoint(sequence: sequence, hash: expected) }

    /// Checks the rows `statement` yields (selected with `AuditRows.columns`, ascending `seq`).
    /// Returns the number checked, or the first broken link.
    func verify(_ statement: SQLiteStatement) throws -> AuditVerification {
        var count = 0
        while try statement.step() {
            if let broken = try verifyRow(statement) { return broken }
            count += 1
        }
        return .ok(count: count)
    }

    private func verifyRow(_ statement: SQLiteStatement) throws -> AuditVerification? {
        let row = try StoredAuditRow(statement)
        let next = sequence + 1
        guard row.sequence == next else {
            return .broken(atSequence: next, reason: row.sequence > next ? .missing : .outOfOrder)
        }
        let expected = self.expected
        let linked = statement.withColumnBytes(at: StoredAuditRow.previousHash) { stored in
            expected.withUnsafeBytes { ConstantTime.equals(stored, $0) }
        }
        guard linked else { return .broken(atSequence: next, reason: .previousHashMismatch) }
        AuditCanonicalForm.write(row, into: &writer)
        let canonical = writer.output
        var digest = computed
        computed = []  // `digest` is now the buffer's only owner: writing it copies nothing
        statement.withColumnBytes(at: StoredAuditRow.previousHash) { previous in
            canonical.withUnsafeBytes { body in
                digest.withUnsafeMutableBytes { hasher.hash(previous, body, into: $0) }
            }
        }
        let matches = statement.withColumnBytes(at: StoredAuditRow.hash) { stored in
            digest.withUnsafeBytes { ConstantTime.equals(stored, $0) }
        }
        guard matches else {
            computed = digest
            return .broken(atSequence: next, reason: .contentMismatch)
        }
        // The stored hash equals `digest`: it is the next link's expectation.
        sequence = row.sequence
        computed = self.expected
        self.expected = digest
        return nil
    }
}

/// One `audit_events` row as the statement holds it, type-checked on construction. Only valid
/// until the statement steps again.
private struct StoredAuditRow: AuditCanonicalSource {
    static let previousHash = 12
    static let hash = 13

    let statement: SQLiteStatement
    let sequence: Int64
    let timeMilliseconds: Int64

    init(_ statement: SQLiteStatement) throws {
        self.statement = statement
        for (index, type) in StoredAuditRow.types.enumerated() {
            let actual = statement.columnType(at: index)
            guard actual == type.storage || (type.isOptional && actual == SQLITE_NULL) else {
                throw SQLiteError.columnType(
                    index: index, expected: type.name, actual: statement.value(at: index).typeName)
            }
        }
        sequence = statement.columnInt64(at: 0)
        timeMilliseconds = statement.columnInt64(at: 1)
        // Stored roles and actions are known ones, as when events are decoded.
        let known =
            statement.withColumnBytes(at: 4) { ActorRole(rawValue: String(decoding: $0, as: UTF8.self)) } != nil
            && statement.withColumnBytes(at: 5) { AuditAction(rawValue: String(decoding: $0, as: UTF8.self)) } != nil
        guard known else { throw AuthorityError.corruptRecord("audit event \(sequence): unknown role or action") }
    }

    /// `AuditRows.columns` in order: storage class, nullability, name for errors.
    private static let types: [(storage: Int32, isOptional: Bool, name: String)] = [
        (SQLITE_INTEGER, false, "integer"), (SQLITE_INTEGER, false, "integer"), (SQLITE_TEXT, true, "text"),
        (SQLITE_TEXT, false, "text"), (SQLITE_TEXT, false, "text"), (SQLITE_TEXT, false, "text"),
        (SQLITE_TEXT, true, "text"), (SQLITE_TEXT, true, "text"), (SQLITE_TEXT, true, "text"),
        (SQLITE_TEXT, true, "text"), (SQLITE_TEXT, true, "text"), (SQLITE_TEXT, true, "text"),
        (SQLITE_BLOB, false, "blob"), (SQLITE_BLOB, false, "blob"),
    ]

    private static func column(of member: AuditCanonicalForm.Member) -> Int? {
        switch member {
        case .missionS256: 2
        case .actor: 3
        case .actorRole: 4
        case .action: 5
        case .resource: 6
        case .scopes: 7
        case .decision: 8
        case .reason: 9
        case .tokenID: 10
        case .details: 11
        case .sequence, .time: nil
        }
    }

    func has(_ member: AuditCanonicalForm.Member) -> Bool {
        guard let column = StoredAuditRow.column(of: member) else { return true }
        return statement.columnType(at: column) != SQLITE_NULL
    }

    func write(_ member: AuditCanonicalForm.Member, to writer: inout AuditCanonicalForm.Writer) {
        switch member {
        case .sequence: writer.integer(sequence)
        case .time: writer.time(epochMilliseconds: timeMilliseconds)
        case .scopes, .details:
            // Stored as the canonical JSON that was hashed (see the type's documentation).
            guard let column = StoredAuditRow.column(of: member) else { return }
            statement.withColumnBytes(at: column) { writer.json($0) }
        case .action, .actor, .actorRole, .decision, .missionS256, .reason, .resource, .tokenID:
            guard let column = StoredAuditRow.column(of: member) else { return }
            statement.withColumnBytes(at: column) { writer.string($0) }
        }
    }
}
