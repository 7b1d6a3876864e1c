import Foundation

/// What a mission write produced: the mission as committed, the audit sequence that versions
/// it, and the refusal to report after the commit (e.g. an expiry recorded on the way to a
/// refused action).
struct MissionChange: Sendable {
    let mission: Mission
    let version: Int64
    let refusal: AuthorityError?
}

extension MissionAuthority {
    /// Whether `text` has the shape of an `s256` (43 base64url characters); anything else
    /// cannot name a mission.
    static func isS256(_ text: String) -> Bool {
        text.utf8.count == 43 && Base64URL.decode(text)?.count == 32
    }

    /// The mission, from the cache or the database (then cached).
    func loadMission(_ s256: String) throws(AuthorityError) -> Mission? {
        // Only well-formed s256s are ever cached, so a hit needs no shape check.
        switch missions.lookup(s256) {
        case .present(let cached): return cached
        case .absent: return nil
        case .unknown: break
        }
        guard MissionAuthority.isS256(s256) else { return nil }
        let loaded = try read { db -> (Mission, Int64)? in
            guard let mission = try MissionRows.load(s256, on: db) else { return nil }
            return (mission, try AuditRows.lastCheckpoint(on: db)?.sequence ?? 0)
        }
        guard let (mission, version) = loaded else {
            missions.installAbsent(s256)
            return nil
        }
        missions.install(mission, version: version)
        return mission
    }

    /// The mission if `agent` owns it. A missing mission and another agent's mission give the
    /// same `notFound` after the same work: one lookup and one constant-time comparison.
    func ownedMission(_ s256: String, agent: String) throws(AuthorityError) -> Mission {
        let mission = try loadMission(s256)
        // Same work for a missing mission: compare the caller's id with itself (same length, every
        // byte read) and let the missing row decide. A short placeholder made the length check
        // return at once, a few microseconds that a patient caller could measure.
        let owner = mission?.agent ?? agent
        let isOwner = ConstantTime.equals(owner.utf8, agent.utf8)
        guard let mission, isOwner else { throw .notFound }
        return mission
    }

    /// Loads, changes and stores one mission inside one durable write. The expiry is applied
    /// and audited first (once, when first observed); `change` then edits the mission and
    /// returns its audit entries. If `change` throws, the mission is kept as it was after the
    /// expiry and the error is reported once the expiry (if any) is durable. `owner`, when
    /// given, must own the mission (else `notFound`).
    func changeMission(
        _ s256: String, owner: String? = nil,
        _ change: @escaping @Sendable (inout Mission, Date) throws -> [AuditEntry]
    ) async throws(AuthorityError) -> Mission {
        guard MissionAuthority.isS256(s256) else { throw .notFound }
        let now = time.now()
        let expiryEntry = systemEntry(
            .missionExpired, at: now, mission: s256, decision: "expired", reason: "expires_at reached")
        let result = try await durable { db, appender -> MissionChange in
            guard var mission = try MissionRows.load(s256, on: db) else { throw AuthorityError.notFound }
            if let owner {
                guard ConstantTime.equals(Array(mission.agent.utf8), Array(owner.utf8)) else {
                    throw AuthorityError.notFound
                }
            }
            var entries: [AuditEntry] = []
            if mission.expireIfDue(at: now) { entries.append(expiryEntry) }
            let afterExpiry = mission
            var refusal: AuthorityError?
            do {
                entries += try change(&mission, now)
            } catch {
                mission = afterExpiry
                refusal = AuthorityError.converting(error)
                if entries.isEmpty { throw refusal ?? AuthorityError.auditUnavailable }
            }
            try MissionRows.update(mission, on: db)
            let events = try appender.append(entries, on: db)
            return MissionChange(mission: mission, version: events.last?.sequence ?? 0, refusal: refusal)
        }
        missions.install(result.mission, version: result.version)
        if let refusal = result.refusal { throw refusal }
        return result.mission
    }

    /// Records the expiry of a mission seen past its `expires_at` (once), then reports it
    /// as terminated.
    func recordExpiry(_ mission: Mission) async throws(AuthorityError) -> Never {
        _ = try await changeMission(mission.s256) { mission, _ in
            throw AuthorityError.terminated(reason: mission.terminationReason ?? MissionState.expired.rawValue)
        }
        throw .terminated(reason: MissionState.expired.rawValue)
    }
}

extension AuthorityError {
    /// Any error thrown inside a facade work item, as the facade reports it.
    static func converting(_ error: any Error) -> AuthorityError {
        if let error = error as? AuthorityError { return error }
        if let error = error as? MissionError { return AuthorityError(error) }
        return .auditUnavailable
    }
}
