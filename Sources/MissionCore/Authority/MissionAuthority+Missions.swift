import Foundation

extension MissionAuthority {
    // MARK: Agent side

    /// The agent's own mission (another agent's, or a missing one, is `notFound`). A mission
    /// seen past its expiry is recorded as expired first (audited once).
    public func mission(s256: String, agent: AgentPrincipal) async throws(AuthorityError) -> Mission {
        let mission = try ownedMission(s256, agent: agent.id)
        let now = time.now()
        guard mission.effectiveState(at: now) == .expired, mission.state != .expired else { return mission }
        do { try await recordExpiry(mission) } catch .terminated {}
        guard let reloaded = try loadMission(s256) else { throw .notFound }
        return reloaded
    }

    /// The owning agent completes its mission, with a Markdown summary.
    @discardableResult
    public func complete(s256: String, agent: AgentPrincipal, summary: String?) async throws(AuthorityError) -> Mission
    {
        if let summary {
            do { try MissionProposal.validateText(summary, member: "summary") } catch { throw AuthorityError(error) }
        }
        // Same not-found rule and work as every agent call before the write.
        _ = try ownedMission(s256, agent: agent.id)
        let completed = entry(.missionCompleted, agent: agent.id, at: time.now(), mission: s256, decision: "completed")
        return try await changeMission(s256, owner: agent.id) { mission, now in
            try mission.apply(.complete, at: now, reason: "completed by the agent", summary: summary)
            return [completed]
        }
    }

    /// The owning agent updates its mission's description; stored as an update record with its
    /// own `s256` (wire notes A2); the mission's `s256` does not change.
    public func update(s256: String, agent: AgentPrincipal, description: String) async throws(AuthorityError)
        -> MissionUpdate
    {
        _ = try ownedMission(s256, agent: agent.id)
        let updated = entry(.missionUpdated, agent: agent.id, at: time.now(), mission: s256, decision: "accepted")
        let mission = try await changeMission(s256, owner: agent.id) { mission, now in
            let update = try MissionUpdate(
                missionS256: mission.s256, sequence: mission.updates.count + 1, description: description,
                acceptedAt: now)
            try mission.append(update, at: now)
            var withHash = updated
            withHash.details["update_s256"] = update.s256
            return [withHash]
        }
        guard let update = mission.updates.last else { throw .corruptRecord("update not recorded") }
        // Written with the mission in the same transaction (see `changeMission`'s caller rule).
        return update
    }

    // MARK: Admin lifecycle

    /// Suspends an active mission (tokens are refused until `resume`).
    @discardableResult
    public func suspend(s256: String, reason: String?, by principal: AdminPrincipal) async throws(AuthorityError)
        -> Mission
    {
        try await transition(s256, .suspend, .missionSuspended, reason: reason, by: principal)
    }

    /// Resumes a suspended mission.
    @discardableResult
    public func resume(s256: String, reason: String?, by principal: AdminPrincipal) async throws(AuthorityError)
        -> Mission
    {
        try await transition(s256, .resume, .missionResumed, reason: reason, by: principal)
    }

    /// Revokes a live mission (terminal).
    @discardableResult
    public func revoke(s256: String, reason: String?, by principal: AdminPrincipal) async throws(AuthorityError)
        -> Mission
    {
        try await transition(s256, .revoke, .missionRevoked, reason: reason, by: principal)
    }

    /// Completes a live mission on an admin's word (terminal).
    @discardableResult
    public func complete(s256: String, reason: String?, by principal: AdminPrincipal) async throws(AuthorityError)
        -> Mission
    {
        try await transition(s256, .complete, .missionCompleted, reason: reason, by: principal)
    }

    private func transition(
        _ s256: String, _ event: MissionEvent, _ action: AuditAction, reason: String?, by principal: AdminPrincipal
    ) async throws(AuthorityError) -> Mission {
        try require(.manageMissions, principal)
        try MissionAuthority.validateReason(reason)
        let audit = entry(
            action, by: principal, at: time.now(), mission: s256, decision: event.rawValue, reason: reason)
        return try await changeMission(s256) { mission, now in
            try mission.apply(event, at: now, reason: reason)
            return [audit]
        }
    }

    static func validateReason(_ reason: String?) throws(AuthorityError) {
        if let reason, reason.isEmpty || reason.utf8.count > 4096 {
            throw .invalidRequest("reason: 1…4096 bytes")
        }
    }

    /// Records a business event from an external system (`POST /missions/{s256}/events`):
    /// `note` is audited only; `suspend`, `revoke` and `complete` also apply the lifecycle
    /// change, audited in the same transaction. `type` is letters, digits, `_ . -`; `source` an
    /// https URL; `reference` printable ASCII (each ≤ 512 bytes).
    @discardableResult
    public func recordBusinessEvent(
        s256: String, type: String, source: String, reference: String, action: BusinessEventAction,
        by principal: AdminPrincipal
    ) async throws(AuthorityError) -> Mission {
        try require(.postBusinessEvents, principal)
        do {
            _ = try BusinessEvent(type: type, source: source, reference: reference, action: .record)
        } catch { throw AuthorityError(error) }
        let recorded = entry(
            .eventBusiness, by: principal, at: time.now(), mission: s256, decision: action.rawValue,
            details: ["type": type, "source": source, "reference": reference])
        let changeAction: AuditAction? =
            switch action {
            case .note: nil
            case .suspend: .missionSuspended
            case .revoke: .missionRevoked
            case .complete: .missionCompleted
            }
        return try await changeMission(s256) { mission, now in
            guard let event = action.missionEvent, let changeAction else { return [recorded] }
            let reason = "business event \(type) from \(source): \(reference)"
            try mission.apply(event, at: now, reason: reason)
            var change = recorded
            change.action = changeAction
            change.decision = event.rawValue
            change.reason = reason
            return [recorded, change]
        }
    }

    // MARK: Admin reads

    /// Missions, newest first, narrowed by `filter`.
    public func missions(filter: MissionFilter = .init(), cursor: String? = nil, limit: Int = 50) throws(AuthorityError)
        -> Page<Mission>
    {
        let before = try MissionAuthority.position(of: cursor) ?? Int64.max
        let limit = MissionAuthority.pageLimit(limit)
        let state: SQLiteValue = filter.state.map { .text($0.rawValue) } ?? .null
        let agent: SQLiteValue = filter.agent.map { .text($0) } ?? .null
        let from: SQLiteValue = filter.createdFrom.map { .integer(RecordCoding.milliseconds($0)) } ?? .null
        let until: SQLiteValue = filter.createdUntil.map { .integer(RecordCoding.milliseconds($0)) } ?? .null
        let decoded = decodedMissions
        let rows = try read { db in
            try db.rows(
                """
                SELECT rowid, s256, approved, record FROM missions
                WHERE rowid < ?1 AND (?2 IS NULL OR state = ?2) AND (?3 IS NULL OR agent = ?3)
                  AND (?4 IS NULL OR created_ms >= ?4) AND (?5 IS NULL OR created_ms < ?5)
                ORDER BY rowid DESC LIMIT ?6
                """, [.integer(before), state, agent, from, until, .int(limit + 1)]
            ).map { row in
                (
                    try row.int64(0),
                    try decoded.mission(approved: row.blob(2), record: row.text(3), s256: row.text(1))
                )
            }
        }
        let page = Array(rows.prefix(limit))
        let next = rows.count > limit ? page.last.map { MissionAuthority.cursor($0.0) } : nil
        return Page(items: page.map(\.1), nextCursor: next)
    }

    /// One mission with its 20 most recent audit events (newest first).
    public func missionDetail(s256: String) throws(AuthorityError) -> MissionDetail {
        guard MissionAuthority.isS256(s256) else { throw .notFound }
        let detail = try read { db -> MissionDetail? in
            guard let mission = try MissionRows.load(s256, on: db) else { return nil }
            let events = try db.rows(
                "SELECT \(AuditRows.columns) FROM audit_events WHERE mission = ? ORDER BY seq DESC LIMIT 20",
                [.text(s256)]
            ).map(AuditRows.event(from:))
            return MissionDetail(mission: mission, recentEvents: events)
        }
        guard let detail else { throw .notFound }
        return detail
    }

    /// The agents, resources and call chains recorded under a mission.
    public func delegationTree(s256: String) throws(AuthorityError) -> DelegationTree {
        guard let mission = try loadMission(s256) else { throw .notFound }
        let edges = try read { db in
            // The mission's audit events in order through their index, each grant's token by its
            // key (CROSS JOIN keeps audit_events the outer loop: the token table has no mission
            // index to start from). Audit order is commit order, so a token comes before any
            // token requested with it as upstream.
            try db.rows(
                """
                SELECT t.agent, t.resource, t.jti, t.upstream_jti, t.time_ms
                FROM audit_events a CROSS JOIN issued_tokens t ON t.audit_seq = a.seq
                WHERE a.mission = ? ORDER BY a.seq LIMIT 10000
                """,
                [.text(s256)]
            ).map { row in
                DelegationEdge(
                    agent: try row.text(0), resource: try row.text(1), jti: try row.text(2),
                    upstreamJTI: try row.optionalText(3), at: RecordCoding.date(milliseconds: try row.int64(4)))
            }
        }
        return DelegationTree.build(rootAgent: mission.agent, edges: edges)
    }

    // MARK: Sweeps

    /// Records the expiry of live missions past `expires_at` that nobody touched (at most
    /// `limit` per call); returns how many were expired. MAServer calls it periodically.
    @discardableResult
    public func expireDueMissions(limit: Int = 500) async throws(AuthorityError) -> Int {
        let now = time.now()
        let due = try read { db in
            try db.rows(
                """
                SELECT s256 FROM missions WHERE state IN ('active', 'suspended') AND expires_ms IS NOT NULL
                  AND expires_ms <= ? LIMIT ?
                """, [.integer(RecordCoding.milliseconds(now)), .int(MissionAuthority.pageLimit(limit))]
            ).map { try $0.text(0) }
        }
        var count = 0
        for s256 in due {
            do {
                _ = try await changeMission(s256) { _, _ in
                    throw AuthorityError.terminated(reason: MissionState.expired.rawValue)
                }
            } catch .terminated { count += 1 }
        }
        return count
    }

    /// Records the expiry of pending reviews past their deadline (at most `limit` per call);
    /// returns how many, and wakes their long-polling agents.
    @discardableResult
    public func expireDueReviews(limit: Int = 500) async throws(AuthorityError) -> Int {
        let now = time.now()
        let due = try read { db in
            try db.rows(
                "SELECT id FROM reviews WHERE state = 'pending' AND expires_ms <= ? LIMIT ?",
                [.integer(RecordCoding.milliseconds(now)), .int(MissionAuthority.pageLimit(limit))]
            ).map { try $0.text(0) }
        }
        var count = 0
        for id in due {
            do {
                _ = try await decide(id) { _, _, _ in (nil, []) }
            } catch .expired { count += 1 }
        }
        return count
    }
}
