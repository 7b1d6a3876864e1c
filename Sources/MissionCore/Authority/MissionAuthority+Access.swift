import CSQLite
import Foundation

/// A signed token waiting to be recorded.
struct PreparedToken: Sendable {
    let issued: IssuedToken
    let agent: String
}

extension MissionAuthority {
    /// Runs `body`, the handling of one access request from its start (before the agent's
    /// signature is checked), with its decision's write anticipated: a group commit about to run
    /// meanwhile waits (a millisecond at most) for that write instead of committing without it,
    /// so that under load decisions share commits, while a lone request is never held back.
    /// Durability is unchanged: every caller still hears back only after its commit.
    public func anticipatingDecision<T>(_ body: () async throws -> T) async rethrows -> T {
        try await database.writer.anticipating(body)
    }

    /// An agent asks for an auth token for `resource` with `scopes` under its mission.
    ///
    /// Order: the request is validated; the mission is looked up (missing and foreign missions
    /// give the same `notFound`); a mission past its expiry is recorded as expired (audited once)
    /// and refused; then the envelope decides. A grant is signed on this task, then its audit
    /// event and `issued_tokens` row (which is also the delegation edge) are committed together, and only then is
    /// the token returned. Every outcome is audited; refusals are thrown as `AuthorityError`
    /// (`suspended`, `terminated`, `denied`).
    public func requestAccess(
        agent: AgentPrincipal, missionS256: String, resource: String, scopes: [String], justification: String?,
        upstreamJTI: String? = nil
    ) async throws(AuthorityError) -> AccessOutcome {
        let request: AccessRequest
        do {
            request = try accessRequests.request(resource: resource, scopes: scopes, justification: justification)
        } catch {
            throw AuthorityError(error)
        }
        if let upstreamJTI, upstreamJTI.isEmpty || upstreamJTI.utf8.count > 128 {
            throw .invalidRequest("upstream token id: 1…128 bytes")
        }
        return try await decide(request, agent: agent, missionS256: missionS256, upstreamJTI: upstreamJTI)
    }

    private func decide(
        _ request: AccessRequest, agent: AgentPrincipal, missionS256: String, upstreamJTI: String?
    ) async throws(AuthorityError) -> AccessOutcome {
        let mission = try ownedMission(missionS256, agent: agent.id)
        let now = time.now()
        if mission.effectiveState(at: now) == .expired, mission.state != .expired {
            try await recordExpiry(mission)
        }
        let origin = request.resource.description
        switch AccessEvaluator.evaluate(mission, request, at: now) {
        case .granted(let granted, let lifetime):
            let prepared = try prepareToken(
                mission: mission, agent: agent, resource: origin, scopes: granted,
                lifetime: min(lifetime, settings.maxTokenLifetime), at: now)
            let grantEntry = entry(
                .accessGranted, agent: agent.id, at: now, mission: mission.s256, resource: origin, scopes: granted,
                decision: "granted", tokenID: prepared.issued.jti,
                details: upstreamJTI.map { ["upstream_token_id": $0] } ?? [:])
            let refusal = try await durable { db, appender in
                try MissionAuthority.recordGrant(
                    prepared, upstreamJTI: upstreamJTI, entry: grantEntry, on: db, appender: appender)
            }
            if let refusal {
                // The cached mission was stale; the refusal was audited on the stored state.
                missions.remove(mission.s256)
                throw refusal
            }
            return .granted(prepared.issued)
        case .needsReview(let outside):
            let review = Review.make(
                subject: .accessRequest(missionS256: mission.s256, request: request, outside: outside),
                owner: agent.id, at: now, lifetime: TimeInterval(settings.accessReviewLifetime), random: random)
            let deferred = entry(
                .accessDeferred, agent: agent.id, at: now, mission: mission.s256, resource: origin,
                scopes: request.scopes, decision: "deferred",
                details: ["review": review.id, "outside": outside.joined(separator: " ")])
            try await durable { db, appender in
                try ReviewRows.save(review, on: db)
                try appender.append([deferred], on: db)
            }
            return .deferred(review, retryAfter: settings.pollInterval)
        case .denied(let reason, let outside):
            try await auditRefusal(
                .accessDenied, agent: agent.id, mission: mission.s256, resource: origin, scopes: outside,
                reason: reason.rawValue, at: now)
            throw .denied(reason: reason.rawValue, outside: outside)
        case .missionSuspended:
            try await auditRefusal(
                .accessRefused, agent: agent.id, mission: mission.s256, resource: origin, scopes: request.scopes,
                reason: "mission suspended", at: now)
            throw .suspended
        case .missionTerminated(let state):
            try await auditRefusal(
                .accessRefused, agent: agent.id, mission: mission.s256, resource: origin, scopes: request.scopes,
                reason: "mission \(state.rawValue)", at: now)
            throw .terminated(reason: state.rawValue)
        case .missionNotApproved:
            throw .invalidTransition(current: MissionState.proposed.rawValue)
        }
    }

    private func auditRefusal(
        _ action: AuditAction, agent: String, mission: String, resource: String, scopes: [String], reason: String,
        at now: Date
    ) async throws(AuthorityError) {
        let refusal = entry(
            action, agent: agent, at: now, mission: mission, resource: resource, scopes: scopes,
            decision: action == .accessDenied ? "denied" : "refused", reason: reason)
        try await durable { db, appender in _ = try appender.append([refusal], on: db) }
    }

    /// Signs the auth token (`typ aa-auth+jwt`) on the calling task, with the claims of
    /// `AuthTokenClaims`: `jti` is 128 random bits, `exp` ≤ 1 h and ≤ the mission's expiry.
    func prepareToken(
        mission: Mission, agent: AgentPrincipal, resource: String, scopes: [String], lifetime: Int, at now: Date
    ) throws(AuthorityError) -> PreparedToken {
        let issuedAt = RFC3339.truncatedToSeconds(now)
        let lifetime = min(max(lifetime, 1), settings.maxTokenLifetime, AccessEnvelope.maximumTokenLifetime)
        let expiresAt = issuedAt + TimeInterval(lifetime)
        let jti = random.identifier(byteCount: 16)
        let iat = Int64(issuedAt.timeIntervalSince1970)
        let claims = AuthTokenClaims(
            issuer: settings.issuer, audience: resource, subject: agent.id, confirmationKey: agent.publicKey,
            scope: scopes.joined(separator: " "), jwtID: jti, issuedAt: iat, expiresAt: iat + Int64(lifetime),
            missionS256: mission.s256)
        let token: String
        do { token = try signingKeys.current.sign(encodedClaims: claims.encoded(), type: "aa-auth+jwt") } catch {
            throw .corruptRecord("token signing failed: \(error)")
        }
        return PreparedToken(
            issued: IssuedToken(
                token: token, jti: jti, missionS256: mission.s256, resource: resource, scopes: scopes,
                issuedAt: issuedAt, expiresAt: expiresAt),
            agent: agent.id)
    }

    /// Inside a write: re-checks the stored mission (the decision may have used a stale cached
    /// copy), then appends the audit event and records the token (with its delegation edge), and
    /// returns `nil`. When the mission is no longer active, it audits `access.refused` instead,
    /// records no token, and returns the refusal to report.
    /// Built once: the SQL text is also the statement-cache key.
    private static let missionStateSQL = "SELECT state, expires_ms FROM missions WHERE s256 = ?"
    private static let insertTokenSQL =
        "INSERT INTO issued_tokens(audit_seq, jti, mission, agent, resource, scope, iat, exp, upstream_jti, time_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

    static func recordGrant(
        _ prepared: PreparedToken, upstreamJTI: String?, entry: AuditEntry, on db: SQLiteConnection,
        appender: AuditAppender
    ) throws -> AuthorityError? {
        let issued = prepared.issued
        // Read in place from the cached statement (no row copy): this runs for every grant.
        let stored = try db.withStatement(missionStateSQL) { statement -> (state: String, expires: Int64?)? in
            try statement.bind(.text(issued.missionS256), at: 1)
            guard try statement.step() else { return nil }
            guard case .text(let state) = statement.value(at: 0) else {
                throw AuthorityError.corruptRecord("mission \(issued.missionS256): state is not text")
            }
            switch statement.columnType(at: 1) {
            case SQLITE_NULL: return (state, nil)
            case SQLITE_INTEGER: return (state, statement.columnInt64(at: 1))
            default: throw AuthorityError.corruptRecord("mission \(issued.missionS256): expiry is not an integer")
            }
        }
        guard let (state, expires) = stored else { throw AuthorityError.notFound }
        var refusal: AuthorityError?
        if state == MissionState.suspended.rawValue {
            refusal = .suspended
        } else if state != MissionState.active.rawValue {
            refusal = .terminated(reason: state)
        } else if let expires, RecordCoding.milliseconds(issued.expiresAt) > expires {
            refusal = .terminated(reason: MissionState.expired.rawValue)
        }
        if let refusal {
            var refused = entry
            refused.action = .accessRefused
            refused.decision = "refused"
            refused.tokenID = nil
            refused.reason = "mission \(state)"
            try appender.append([refused], on: db)
            return refusal
        }
        guard let event = try appender.append([entry], on: db).last else { throw AuthorityError.auditUnavailable }
        try db.withStatement(insertTokenSQL) { statement in
            try statement.bind(.integer(event.sequence), at: 1)
            try statement.bind(.text(issued.jti), at: 2)
            try statement.bind(.text(issued.missionS256), at: 3)
            try statement.bind(.text(prepared.agent), at: 4)
            try statement.bind(.text(issued.resource), at: 5)
            try statement.bind(.text(issued.scopes.joined(separator: " ")), at: 6)
            try statement.bind(.integer(Int64(issued.issuedAt.timeIntervalSince1970)), at: 7)
            try statement.bind(.integer(Int64(issued.expiresAt.timeIntervalSince1970)), at: 8)
            try statement.bind(upstreamJTI.map { .text($0) } ?? .null, at: 9)
            try statement.bind(.integer(RecordCoding.milliseconds(issued.issuedAt)), at: 10)
            while try statement.step() {}
        }
        return nil
    }
}
