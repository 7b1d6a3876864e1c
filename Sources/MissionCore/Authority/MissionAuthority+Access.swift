import Foundation

/// A signed token waiting to be recorded.
struct PreparedToken: Sendable {
    let issued: IssuedToken
    let agent: String
}

extension MissionAuthority {
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

    /// Signs the auth token (`typ aa-auth+jwt`) on the calling task. Claims: `iss` and `ps`
    /// (the MA), `dwk` `aauth-person.json`, `aud` (the resource), `sub` (the agent), `cnf.jwk`
    /// (the agent's key, RFC 7800 §3.2), `scope` (space-separated, RFC 6749 §3.3), `jti`
    /// (128 random bits), `iat`, `exp` (≤ 1 h, ≤ the mission's expiry), `mission_s256` and
    /// `mission` {`s256`, `auth`}.
    func prepareToken(
        mission: Mission, agent: AgentPrincipal, resource: String, scopes: [String], lifetime: Int, at now: Date
    ) throws(AuthorityError) -> PreparedToken {
        let issuedAt = RFC3339.truncatedToSeconds(now)
        let lifetime = min(max(lifetime, 1), settings.maxTokenLifetime, AccessEnvelope.maximumTokenLifetime)
        let expiresAt = issuedAt + TimeInterval(lifetime)
        let jti = random.identifier(byteCount: 16)
        let iat = Int64(issuedAt.timeIntervalSince1970)
        let claims: [String: JSONValue] = [
            "iss": .string(settings.issuer),
            "ps": .string(settings.issuer),
            "dwk": .string("aauth-person.json"),
            "aud": .string(resource),
            "sub": .string(agent.id),
            "cnf": .object(["jwk": agent.publicKey.jsonValue]),
            "scope": .string(scopes.joined(separator: " ")),
            "jti": .string(jti),
            "iat": .integer(iat),
            "exp": .integer(iat + Int64(lifetime)),
            "mission_s256": .string(mission.s256),
            "mission": .object(["s256": .string(mission.s256), "auth": .string(settings.issuer)]),
        ]
        let token: String
        do { token = try signingKeys.current.sign(claims: claims, type: "aa-auth+jwt") } catch {
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
    static func recordGrant(
        _ prepared: PreparedToken, upstreamJTI: String?, entry: AuditEntry, on db: SQLiteConnection,
        appender: AuditAppender
    ) throws -> AuthorityError? {
        let issued = prepared.issued
        guard
            let row = try db.firstRow(
                "SELECT state, expires_ms FROM missions WHERE s256 = ?", [.text(issued.missionS256)])
        else { throw AuthorityError.notFound }
        let state = try row.text(0)
        var refusal: AuthorityError?
        if state == MissionState.suspended.rawValue {
            refusal = .suspended
        } else if state != MissionState.active.rawValue {
            refusal = .terminated(reason: state)
        } else if let expires = try row.optionalInt64(1), RecordCoding.milliseconds(issued.expiresAt) > expires {
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
        try db.run(
            "INSERT INTO issued_tokens(audit_seq, jti, mission, agent, resource, scope, iat, exp, upstream_jti, time_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                .integer(event.sequence), .text(issued.jti), .text(issued.missionS256), .text(prepared.agent),
                .text(issued.resource), .text(issued.scopes.joined(separator: " ")),
                .integer(Int64(issued.issuedAt.timeIntervalSince1970)),
                .integer(Int64(issued.expiresAt.timeIntervalSince1970)), upstreamJTI.map { .text($0) } ?? .null,
                .integer(RecordCoding.milliseconds(issued.issuedAt)),
            ])
        return nil
    }
}
