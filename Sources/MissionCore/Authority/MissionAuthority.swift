import CSQLite
import Foundation

/// The Mission Authority: the one object MAServer calls for every mission, review, token,
/// audit and principal operation. Thread-safe; every method that records a decision is `async`
/// and returns only once the decision and its audit event are durable together (fail closed:
/// `AuthorityError.auditUnavailable` otherwise, and nothing is reported as done).
///
/// ```swift
/// let authority = try await MissionAuthority.open(
///     dataDirectory: "/var/lib/ma", settings: .init(issuer: "https://ma.example"))
/// switch try await authority.propose(agent: agent, proposal: MissionProposal.decode(body)) {
/// case .approved(let mission): …          // 200
/// case .pending(let review, let retry): … // 202, Location: /pending/{review.id}
/// }
/// let outcome = try await authority.requestAccess(
///     agent: agent, missionS256: s256, resource: "https://api.example", scopes: ["read"], justification: nil)
/// ```
///
/// Threading: database reads run on the calling task (short, indexed); writes go through the
/// storage layer's group-committing writer thread; token signing happens on the calling task,
/// never on the writer thread; chain verification and export run on a thread of their own.
public final class MissionAuthority: Sendable {
    /// The policy in force.
    public let settings: Settings
    let database: Database
    let time: any TimeSource
    let random: any RandomSource
    let appender = AuditAppender()
    let signingKeys: SigningKeyStore
    let notifier = ReviewNotifier()
    let missions = MissionCache()
    let accessRequests = AccessRequestCache()
    let decodedMissions = DecodedMissionMemo()
    let agentKeys = AgentKeyCache()
    let adminKeyUse = AdminKeyUseTracker()

    private init(
        settings: Settings, database: Database, time: any TimeSource, random: any RandomSource,
        signingKeys: SigningKeyStore
    ) {
        self.settings = settings
        self.database = database
        self.time = time
        self.random = random
        self.signingKeys = signingKeys
    }

    /// Opens (creating on first start) the database `<dataDirectory>/ma.sqlite` and the signing
    /// keys in `<dataDirectory>/keys/`.
    public static func open(
        dataDirectory: String, settings: Settings, time: any TimeSource = SystemTimeSource(),
        random: any RandomSource = SystemRandomSource()
    ) async throws -> MissionAuthority {
        try settings.validate()
        let database = try Database.open(
            at: dataDirectory + "/ma.sqlite", migrations: AuthoritySchema.migrations)
        do {
            let keys = try await SigningKeyStore.open(
                folder: dataDirectory + "/keys", database: database, algorithm: settings.signingAlgorithm,
                now: time.now())
            return MissionAuthority(
                settings: settings, database: database, time: time, random: random, signingKeys: keys)
        } catch {
            database.close()
            throw error
        }
    }

    /// Finishes queued writes and closes the database. Later calls fail.
    public func close() {
        database.close()
    }

    // MARK: Shared machinery

    /// Runs `work` as one durable write (inside the group commit, with the audit appender) and
    /// translates failures: the facade's own refusals pass through, domain refusals become
    /// `AuthorityError`s, constraint violations `conflict`, and every other storage failure
    /// `auditUnavailable` (the decision and its audit row were not both committed).
    func durable<T: Sendable>(
        _ work: @escaping @Sendable (SQLiteConnection, AuditAppender) throws -> T
    ) async throws(AuthorityError) -> T {
        let appender = self.appender
        do {
            return try await database.write { db in try work(db, appender) }
        } catch let error as AuthorityError {
            throw error
        } catch let error as MissionError {
            throw AuthorityError(error)
        } catch let error as SQLiteError where error.primaryCode == SQLITE_CONSTRAINT {
            throw .conflict("the record already exists or is referenced")
        } catch {
            // The batch may have rolled back after our appends: the cached head is stale.
            appender.invalidate()
            throw .auditUnavailable
        }
    }

    /// A read on a pooled connection, with the same error translation.
    func read<T>(_ work: (SQLiteConnection) throws -> T) throws(AuthorityError) -> T {
        do {
            return try database.read(work)
        } catch let error as AuthorityError {
            throw error
        } catch let error as MissionError {
            throw AuthorityError(error)
        } catch {
            throw .corruptRecord("read failed: \(error)")
        }
    }

    /// Refuses an admin action the principal's role does not allow.
    func require(_ permission: AdminPermission, _ principal: AdminPrincipal) throws(AuthorityError) {
        guard principal.role.allows(permission) else { throw .forbidden }
    }

    /// An audit entry for an admin principal's action.
    func entry(
        _ action: AuditAction, by principal: AdminPrincipal, at now: Date, mission: String? = nil,
        decision: String? = nil, reason: String? = nil, details: [String: String] = [:]
    ) -> AuditEntry {
        var details = details
        if principal.actorRole != .system { details["actor_name"] = principal.name }
        return AuditEntry(
            time: now, missionS256: mission, actor: principal.keyID, actorRole: principal.actorRole, action: action,
            decision: decision, reason: reason, details: details)
    }

    /// An audit entry for an agent's action.
    func entry(
        _ action: AuditAction, agent: String, at now: Date, mission: String? = nil, resource: String? = nil,
        scopes: [String]? = nil, decision: String? = nil, reason: String? = nil, tokenID: String? = nil,
        details: [String: String] = [:]
    ) -> AuditEntry {
        AuditEntry(
            time: now, missionS256: mission, actor: agent, actorRole: .agent, action: action, resource: resource,
            scopes: scopes, decision: decision, reason: reason, tokenID: tokenID, details: details)
    }

    /// An audit entry for the MA's own action (rules, expiry).
    func systemEntry(
        _ action: AuditAction, at now: Date, mission: String? = nil, decision: String? = nil,
        reason: String? = nil, details: [String: String] = [:]
    ) -> AuditEntry {
        AuditEntry(
            time: now, missionS256: mission, actor: "ma", actorRole: .system, action: action, decision: decision,
            reason: reason, details: details)
    }

    /// Clamps a listing limit to 1…500.
    static func pageLimit(_ limit: Int) -> Int { min(max(limit, 1), 500) }

    /// Opaque cursors: base64url of `v1:<integer>`.
    static func cursor(_ position: Int64) -> String { Base64URL.encode(Array("v1:\(position)".utf8)) }

    static func position(of cursor: String?) throws(AuthorityError) -> Int64? {
        guard let cursor else { return nil }
        guard let bytes = Base64URL.decode(cursor), let text = String(bytes: bytes, encoding: .utf8),
            text.hasPrefix("v1:"), let value = Int64(text.dropFirst(3)), value >= 0
        else { throw .invalidRequest("cursor: not one this server issued") }
        return value
    }
}
