import Foundation

/// Decides a token request against a mission: a pure function of the mission, the request and
/// the time, so it is the same on every path (token endpoint, review approval, re-evaluation).
///
/// ```swift
/// switch AccessEvaluator.evaluate(mission, request, at: clock.now()) {
/// case .granted(let scopes, let lifetime): …  // issue a token
/// case .needsReview(let outside): …           // 202, requirement=approval
/// case .denied(let reason, let outside): …    // 403 denied
/// case .missionSuspended, .missionTerminated, .missionNotApproved: …
/// }
/// ```
public enum AccessEvaluator {
    /// The decision for `request` under `mission` at `now` (expiry applied first).
    public static func evaluate(_ mission: Mission, _ request: AccessRequest, at now: Date) -> AccessDecision {
        switch mission.effectiveState(at: now) {
        case .active: break
        case .suspended: return .missionSuspended
        case .proposed: return .missionNotApproved
        case let state: return .missionTerminated(state: state)
        }
        let envelope = mission.effectiveEnvelope
        let outsideGrants = request.scopes.filter { scope in
            !envelope.grants.contains { $0.allows(scope, on: request.resource) }
        }
        if !outsideGrants.isEmpty {
            let outsideReview = outsideGrants.filter { scope in
                !envelope.review.contains { $0.allows(scope, on: request.resource) }
            }
            if outsideReview.isEmpty { return .needsReview(outside: outsideGrants) }
            return .denied(reason: .outsideMissionScope, outside: outsideReview)
        }
        // The earlier of the two expiries, either of which may be absent (without the two arrays
        // an array literal and `compactMap` cost on every token request).
        let expiry: Date? =
            switch (mission.expiresAt, envelope.expiresAt) {
            case let (missionExpiry?, envelopeExpiry?): min(missionExpiry, envelopeExpiry)
            case let (missionExpiry?, nil): missionExpiry
            case let (nil, envelopeExpiry?): envelopeExpiry
            case (nil, nil): nil
            }
        guard let lifetime = tokenLifetime(maximum: envelope.maxTokenLifetime, expiresAt: expiry, now: now) else {
            return .denied(reason: .missionExpiresTooSoon, outside: [])
        }
        return .granted(scopes: request.scopes, tokenLifetime: lifetime)
    }

    /// Whole seconds a token may live: `maximum` capped at one hour and at the time left before
    /// `expiresAt` (DESIGN §3.5: `exp` ≤ 1 h and ≤ mission `expires_at`); `nil` when under 1 s is left.
    public static func tokenLifetime(maximum: Int, expiresAt: Date?, now: Date) -> Int? {
        var lifetime = min(max(maximum, 0), AccessEnvelope.maximumTokenLifetime)
        if let expiresAt {
            let remaining = expiresAt.timeIntervalSince(now).rounded(.down)
            guard remaining >= 1 else { return nil }
            if remaining < Double(lifetime) { lifetime = Int(remaining) }
        }
        return lifetime >= 1 ? lifetime : nil
    }
}
