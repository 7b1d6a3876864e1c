import Foundation

extension MissionAuthority {
    /// One mission's audit events, oldest first, `limit` at a time (an indexed range read).
    public func audit(mission s256: String, cursor: String? = nil, limit: Int = 50) throws(AuthorityError) -> Page<AuditEvent> {
        let after = try MissionAuthority.position(of: cursor) ?? 0
        let limit = MissionAuthority.pageLimit(limit)
        let events = try read { db in
            try db.rows(
                "SELECT \(AuditRows.columns) FROM audit_events WHERE mission = ? AND seq > ? ORDER BY seq LIMIT ?",
                [.text(s256), .integer(after), .int(limit + 1)]
            ).map(AuditRows.event(from:))
        }
        let page = Array(events.prefix(limit))
        let next = events.count > limit ? page.last.map { MissionAuthority.cursor($0.sequence) } : nil
        return Page(items: page, nextCursor: next)
    }

    /// The whole trail's events after sequence `after`, oldest first (for followers and exports).
    public func audit(after: Int64, limit: Int = 100) throws(AuthorityError) -> [AuditEvent] {
        try read { db in
            try db.rows(
                "SELECT \(AuditRows.columns) FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?",
                [.integer(after), .int(MissionAuthority.pageLimit(limit))]
            ).map(AuditRows.event(from:))
        }
    }

    /// The newest event's sequence and hash: a checkpoint to keep outside the database.
    public func auditHead() throws(AuthorityError) -> AuditCheckpoint {
        try read { db in try AuditRows.lastCheckpoint(on: db) } ?? .genesis
    }

    /// Recomputes the whole chain (on a thread of its own, in pages) and names the first broken
    /// link; with `expectedHead` it also detects truncation and rewrites up to that checkpoint.
    public func verifyAuditChain(expectedHead: AuditCheckpoint? = nil) async throws(AuthorityError) -> AuditVerification {
        let database = self.database
        let result: Result<AuditVerification, AuthorityError> = await MissionAuthority.offPool {
            do {
                var checkpoint = AuditCheckpoint.genesis
                var count = 0
                while true {
                    let page = try database.read { db in
                        try db.rows(
                            "SELECT \(AuditRows.columns) FROM audit_events WHERE seq > ? ORDER BY seq LIMIT 10000",
                            [.integer(checkpoint.sequence)]
                        ).map(AuditRows.event(from:))
                    }
                    guard let last = page.last else { break }
                    switch AuditChain.verify(page, after: checkpoint) {
                    case .ok(let checked): count += checked
                    case .broken(let sequence, let reason): return .success(.broken(atSequence: sequence, reason: reason))
                    }
                    checkpoint = AuditCheckpoint(sequence: last.sequence, hash: last.hash)
                }
                if let expectedHead {
                    // Only the tail comparison is left: the events themselves were checked above.
                    if case .broken(let sequence, let reason) = AuditChain.verify([], after: checkpoint, expectedHead: expectedHead) {
                        if checkpoint.sequence < expectedHead.sequence || checkpoint.sequence == expectedHead.sequence {
                            return .success(.broken(atSequence: sequence, reason: reason))
                        }
                    }
                    if checkpoint.sequence > expectedHead.sequence {
                        let named = try database.read { db in
                            try db.firstRow("SELECT hash FROM audit_events WHERE seq = ?", [.integer(expectedHead.sequence)])?.blob(0)
                        }
                        if let named, !ConstantTime.equals(named, expectedHead.hash) {
                            return .success(.broken(atSequence: expectedHead.sequence, reason: .checkpointMismatch))
                        }
                    }
                }
                return .success(.ok(count: count))
            } catch {
                return .failure(AuthorityError.converting(error))
            }
        }
        return try result.get()
    }

    /// Writes the whole trail as JSON Lines (one canonical JSON object per event: the hashed
    /// members plus `prev_hash` and `hash` in base64url), oldest first, on a thread of its own.
    /// `write` receives each batch of lines; returns the number of events written.
    @discardableResult
    public func exportAudit(to write: @escaping @Sendable ([UInt8]) throws -> Void) async throws(AuthorityError) -> Int {
        let database = self.database
        let result: Result<Int, AuthorityError> = await MissionAuthority.offPool {
            do {
                var after: Int64 = 0
                var count = 0
                while true {
                    let page = try database.read { db in
                        try db.rows(
                            "SELECT \(AuditRows.columns) FROM audit_events WHERE seq > ? ORDER BY seq LIMIT 10000",
                            [.integer(after)]
                        ).map(AuditRows.event(from:))
                    }
                    guard let last = page.last else { break }
                    var output: [UInt8] = []
                    for event in page {
                        output += MissionAuthority.exportLine(event)
                        output.append(UInt8(ascii: "\n"))
                    }
                    try write(output)
                    count += page.count
                    after = last.sequence
                }
                return .success(count)
            } catch {
                return .failure(AuthorityError.converting(error))
            }
        }
        return try result.get()
    }

    static func exportLine(_ event: AuditEvent) -> [UInt8] {
        CanonicalValue.members([
            ("action", .string(event.action.rawValue)),
            ("actor", .string(event.actor)),
            ("actor_role", .string(event.actorRole.rawValue)),
            ("decision", event.decision.map { .string($0) }),
            ("details", event.details.isEmpty ? nil : .object(event.details.mapValues { .string($0) })),
            ("hash", .string(Base64URL.encode(event.hash))),
            ("mission_s256", event.missionS256.map { .string($0) }),
            ("prev_hash", .string(Base64URL.encode(event.previousHash))),
            ("reason", event.reason.map { .string($0) }),
            ("resource", event.resource.map { .string($0) }),
            ("scopes", event.scopes.map(CanonicalValue.strings)),
            ("sequence", .integer(event.sequence)),
            ("time", .string(RFC3339.string(epochMilliseconds: event.timeMilliseconds))),
            ("token_id", event.tokenID.map { .string($0) }),
        ]).bytes
    }

    /// Runs long work on a thread of its own, so the 2-thread cooperative pool stays free.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.name = "ma-audit-scan"
            thread.start()
        }
    }
}
