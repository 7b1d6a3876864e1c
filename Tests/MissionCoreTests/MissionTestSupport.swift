import Foundation
@testable import MissionCore

/// Deterministic bytes: each call returns the next `count` values of a counter, so every id in
/// a test is distinct and reproducible.
final class CountingRandomSource: RandomSource, @unchecked Sendable {
    // Safe: `next` is only touched under `lock`.
    private let lock = NSLock()
    private var next: UInt8

    init(start: UInt8 = 1) { next = start }

    func bytes(count: Int) -> [UInt8] {
        lock.withLock {
            (0..<count).map { _ in
                defer { next &+= 1 }
                return next
            }
        }
    }
}

enum Fixture {
    /// 2026-04-07T14:30:00Z, the vector's approval time.
    static let approvedAt = Date(timeIntervalSince1970: 1_775_572_200)
    static let agent = "aauth:assistant@agent.example"

    static func envelope(
        grants: [(String, [String])] = [("https://flights.example", ["search", "fare.hold"])],
        review: [(String, [String])] = [],
        maxTokenLifetime: Int = 300
    ) throws -> AccessEnvelope {
        try AccessEnvelope(
            grants: grants.map { try AccessGrant(resource: $0.0, scopes: $0.1) },
            review: review.map { try AccessGrant(resource: $0.0, scopes: $0.1) },
            maxTokenLifetime: maxTokenLifetime)
    }

    static func mission(
        envelope: AccessEnvelope? = nil, expiresIn: TimeInterval? = 3600,
        state: MissionState = .active, text: String = "# Trip\n\nBook a flight."
    ) throws -> Mission {
        let expiresAt = expiresIn.map { approvedAt + $0 }
        let approval = try MissionApproval(
            agent: agent, approvedAt: approvedAt, expiresAt: expiresAt, text: text,
            envelope: try envelope ?? Fixture.envelope())
        let approved = MissionComposer.markdown(approval, reference: "ref-1")
        return Mission(
            approved: approved, agent: agent, envelope: approval.envelope, createdAt: approvedAt,
            approvedAt: approvedAt, expiresAt: expiresAt, state: state)
    }
}
