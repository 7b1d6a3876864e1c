import Foundation

extension MissionAuthority {
    /// One mission's audit events, oldest first, `limit` at a time (an indexed range read).
    public func audit(mission s256: String, cursor: String? = nil, limit: Int = 50) throws(AuthorityError) -> Page<
        AuditEvent
    > {
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

    /// Recomputes the whole chain (up to the head when called) and names the first broken link;
    /// with `expectedHead` it also detects truncation and rewrites up to that checkpoint.
    ///
    /// Each event's link holds on its own stored neighbour (its `prev_hash` against the stored
    /// hash before it), so ranges of the trail are checked in parallel on threads of their own
    /// (one per core, at most four), each starting from the stored event before its range.
    public func verifyAuditChain(expectedHead: AuditCheckpoint? = nil) async throws(AuthorityError) -> AuditVerification
    {
        let database = self.database
        let result: Result<AuditVerification, AuthorityError> = await MissionAuthority.offPool {
            do {
                let head = try database.read { db in try AuditRows.lastCheckpoint(on: db) } ?? .genesis
                let verification = try MissionAuthority.verifyInParallel(database, through: head.sequence)
                guard case .ok = verification, let expectedHead else { return .success(verification) }
                if head.sequence < expectedHead.sequence {
                    return .success(.broken(atSequence: head.sequence + 1, reason: .truncated))
                }
                let named = try database.read { db in
                    try db.firstRow("SELECT hash FROM audit_events WHERE seq = ?", [.integer(expectedHead.sequence)])?
                        .blob(0)
                }
                if let named, !ConstantTime.equals(named, expectedHead.hash) {
                    return .success(.broken(atSequence: expectedHead.sequence, reason: .checkpointMismatch))
                }
                return .success(verification)
            } catch {
                return .failure(AuthorityError.converting(error))
            }
        }
        return try result.get()
    }

    /// Verifies sequences 1…`last` in contiguous ranges on parallel threads.
    static func verifyInParallel(_ database: Database, through last: Int64) throws -> AuditVerification {
        guard last > 0 else { return .ok(count: 0) }
        let workers = Int64(max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4)))
        let span = (last + workers - 1) / workers
        let ranges = stride(from: Int64(1), through: last, by: Int(span)).map { $0...min($0 + span - 1, last) }
        let results = ParallelResults<Result<AuditVerification, any Error>>(count: ranges.count)
        let group = DispatchGroup()
        for (index, range) in ranges.enumerated() {
            group.enter()
            let thread = Thread {
                results.set(index, Result { try verifyRange(database, range) })
                group.leave()
            }
            thread.name = "ma-audit-verify"
            thread.start()
        }
        group.wait()
        var count = 0
        for result in results.values {
            switch try result?.get() {
            case .ok(let checked)?: count += checked
            case .broken(let sequence, let reason)?: return .broken(atSequence: sequence, reason: reason)
            case nil: throw AuthorityError.auditUnavailable
            }
        }
        return .ok(count: count)
    }

    /// Verifies the events in `range`, starting from the stored event before it (a missing
    /// start shows as `missing` at the first absent sequence).
    static func verifyRange(_ database: Database, _ range: ClosedRange<Int64>) throws -> AuditVerification {
        let checkpoint =
            try database.read { db in
                try db.firstRow(
                    "SELECT seq, hash FROM audit_events WHERE seq < ? ORDER BY seq DESC LIMIT 1",
                    [.integer(range.lowerBound)]
                ).map { AuditCheckpoint(sequence: try $0.int64(0), hash: try $0.blob(1)) }
            } ?? .genesis
        // Rows are checked in place, page by page, with one buffer and one hash context.
        let verifier = AuditRowVerifier(after: checkpoint)
        var count = 0
        while verifier.head.sequence < range.upperBound {
            let after = verifier.head.sequence
            let page = try database.read { db in
                try db.withStatement(
                    "SELECT \(AuditRows.columns) FROM audit_events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT 5000"
                ) { statement in
                    try statement.bind([.integer(after), .integer(range.upperBound)])
                    return try verifier.verify(statement)
                }
            }
            switch page {
            case .ok(0):
                // Events up to the head were there when the check began and are never deleted
                // by the MA: an empty page here means someone removed them.
                return .broken(atSequence: after + 1, reason: .missing)
            case .ok(let checked): count += checked
            case let broken: return broken
            }
        }
        return .ok(count: count)
    }

    /// Writes the whole trail as JSON Lines (one canonical JSON object per event: the hashed
    /// members plus `prev_hash` and `hash` in base64url), oldest first, on a thread of its own.
    /// `write` receives each batch of lines; returns the number of events written.
    @discardableResult
    public func exportAudit(to write: @escaping @Sendable ([UInt8]) throws -> Void) async throws(AuthorityError) -> Int
    {
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
