import Foundation

/// A mission as the MA holds it: the exact approved bytes, their `s256`, its state and envelope.
///
/// Pure value; persistence stores and reloads it. Expiry is computed, not swept: every decision
/// path calls `effectiveState(at:)` (or `expireIfDue(at:)` to record the first observation).
///
/// ```swift
/// var mission = Mission(approved: approved, agent: "aauth:a@agent.example", envelope: envelope,
///                       createdAt: now, approvedAt: now, expiresAt: now + 86_400)
/// if mission.expireIfDue(at: clock.now()) { /* audit mission.expired once */ }
/// try mission.apply(.suspend, at: clock.now(), reason: "investigating")
/// ```
public struct Mission: Codable, Equatable, Sendable {
    /// Unpadded base64url SHA-256 of `approved.bytes`; the mission's identifier.
    public var s256: String { approved.s256 }
    /// The exact approved bytes (Markdown or JSON blob) and their form.
    public let approved: ApprovedMission
    /// The agent that proposed the mission and owns it (the agent token's `sub`, or `urn:jkt:…`).
    public let agent: String
    /// The current recorded state (see `effectiveState(at:)` for the state with expiry applied).
    public private(set) var state: MissionState
    /// The access envelope set at approval; amendments add to it (see `effectiveEnvelope`).
    public let envelope: AccessEnvelope
    /// Amendments appended after approval, oldest first; they never change `s256`.
    public private(set) var amendments: [MissionAmendment]
    /// Accepted description updates, oldest first; they never change `s256`.
    public private(set) var updates: [MissionUpdate]
    /// When the proposal was received.
    public let createdAt: Date
    /// When it was approved (the time written into the approved bytes).
    public let approvedAt: Date
    /// When it stops being usable; `nil` for no fixed expiry.
    public let expiresAt: Date?
    /// When it reached a terminal state.
    public private(set) var terminatedAt: Date?
    /// The free-text reason given for suspension or termination (by an admin, an agent, a rule).
    public private(set) var stateReason: String?
    /// The agent's completion summary (Markdown), when completed by the agent.
    public private(set) var summary: String?

    /// A mission in `state` (`active` for a direct approval).
    public init(
        approved: ApprovedMission, agent: String, envelope: AccessEnvelope, createdAt: Date,
        approvedAt: Date, expiresAt: Date?, state: MissionState = .active
    ) {
        self.approved = approved
        self.agent = agent
        self.envelope = envelope
        self.createdAt = createdAt
        self.approvedAt = approvedAt
        self.expiresAt = expiresAt
        self.state = state
        self.amendments = []
        self.updates = []
    }

    /// The wire `termination_reason` for a terminal mission: `completed`, `revoked` or `expired`.
    public var terminationReason: String? { state.isTerminal ? state.rawValue : nil }

    /// Whether `now` is at or past `expiresAt` (a token's `exp` may equal `expires_at`, so at
    /// that instant nothing further can be issued).
    public func isPastExpiry(at now: Date) -> Bool {
        guard let expiresAt else { return false }
        return now >= expiresAt
    }

    /// The state with expiry applied: a live mission past `expiresAt` is `expired` even before
    /// anyone records it.
    public func effectiveState(at now: Date) -> MissionState {
        if !state.isTerminal, state != .proposed, isPastExpiry(at: now) { return .expired }
        return state
    }

    /// Moves a live mission past its expiry to `expired`. Returns `true` only on the call that
    /// made the change, so the caller audits `mission.expired` exactly once.
    @discardableResult
    public mutating func expireIfDue(at now: Date) -> Bool {
        guard effectiveState(at: now) == .expired, state != .expired else { return false }
        state = .expired
        terminatedAt = expiresAt ?? now
        stateReason = "expired"
        return true
    }

    /// Applies a lifecycle event through `MissionLifecycle`. A mission already past its expiry
    /// is treated as `expired` (call `expireIfDue(at:)` first to record that).
    public mutating func apply(
        _ event: MissionEvent, at now: Date, reason: String? = nil,
        summary: String? = nil
    ) throws(MissionError) {
        let current = effectiveState(at: now)
        let next = try MissionLifecycle.next(from: current, on: event)
        state = next
        stateReason = reason
        if next.isTerminal { terminatedAt = now }
        if event == .complete, let summary { self.summary = summary }
    }

    /// The envelope in force: the approved one plus every amendment's grants.
    public var effectiveEnvelope: AccessEnvelope {
        envelope.adding(amendments.flatMap(\.addedGrants))
    }

    /// Appends an amendment. It must name this mission and carry the next sequence number,
    /// and only a live mission can be amended.
    public mutating func append(_ amendment: MissionAmendment, at now: Date) throws(MissionError) {
        let current = effectiveState(at: now)
        guard current == .active || current == .suspended else {
            throw .missionNotLive(current)
        }
        guard amendment.missionS256 == s256, amendment.sequence == amendments.count + 1 else {
            throw .invalidEnvelope("amendment does not follow this mission's last amendment")
        }
        amendments.append(amendment)
    }

    /// Appends an accepted update; same rules as amendments (live mission, next sequence).
    public mutating func append(_ update: MissionUpdate, at now: Date) throws(MissionError) {
        let current = effectiveState(at: now)
        guard current == .active || current == .suspended else { throw .missionNotLive(current) }
        guard update.missionS256 == s256, update.sequence == updates.count + 1 else {
            throw .invalidProposal("update does not follow this mission's last update")
        }
        updates.append(update)
    }

    /// The description in force: the latest accepted update, or `nil` when there is none (the
    /// approved bytes then say it all).
    public var currentDescription: String? { updates.last?.description }
}
