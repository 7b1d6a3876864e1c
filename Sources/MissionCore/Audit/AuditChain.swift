import Foundation

/// Appends to and verifies the hash-chained audit trail (DESIGN §3.6).
///
/// Each event's hash covers the previous event's hash and its own canonical bytes, starting from
/// 32 zero bytes, so editing, deleting, reordering or inserting any event changes a hash that
/// `verify` recomputes. Truncating the newest events is only visible against a checkpoint kept
/// elsewhere (pass it as `expectedHead`).
///
/// ```swift
/// var chain = AuditChain(after: storage.lastCheckpoint ?? .genesis)
/// let event = chain.append(AuditEntry(time: now, actor: agent, actorRole: .agent, action: .accessGranted))
/// AuditChain.verify(events)   // .ok(count: n) or .broken(atSequence: s, reason: …)
/// ```
public struct AuditChain: Sendable {
    /// The last event appended (or the starting checkpoint).
    public private(set) var head: AuditCheckpoint

    /// A chain continuing after `head` (`.genesis` for an empty trail).
    public init(after head: AuditCheckpoint = .genesis) {
        self.head = head
    }

    /// Numbers, redacts and hashes `entry` as the next event, and advances `head`.
    public mutating func append(_ entry: AuditEntry) -> AuditEvent {
        var writer = AuditCanonicalForm.Writer()
        let hasher = AuditHasher()
        return append(entry, writer: &writer, hasher: hasher)
    }

    /// `append` with the caller's buffer and hasher, reused across events (the appender's).
    mutating func append(
        _ entry: AuditEntry, writer: inout AuditCanonicalForm.Writer, hasher: borrowing AuditHasher
    ) -> AuditEvent {
        let unhashed = AuditChain.event(from: entry, sequence: head.sequence + 1, previousHash: head.hash, hash: [])
        AuditCanonicalForm.write(unhashed, into: &writer)
        let event = unhashed.withHash(hasher.hash(head.hash, writer.output))
        head = AuditCheckpoint(sequence: event.sequence, hash: event.hash)
        return event
    }

    private static func event(from entry: AuditEntry, sequence: Int64, previousHash: [UInt8], hash: [UInt8])
        -> AuditEvent
    {
        let redact = CredentialRedaction.redact
        // Clamped like every other timestamp here, so an absurd clock value cannot trap.
        let seconds = RFC3339.clampedSeconds(entry.time.timeIntervalSince1970)
        let fraction = entry.time.timeIntervalSince1970 - Double(seconds)
        // A small epsilon keeps 0.007 s (stored as 0.00699999…) at 7 ms.
        let subsecond = fraction.isFinite ? min(max((fraction * 1000 + 1e-4).rounded(.down), 0), 999) : 0
        let milliseconds = seconds * 1000 + Int64(subsecond)
        return AuditEvent(
            sequence: sequence, timeMilliseconds: milliseconds,
            missionS256: entry.missionS256.map(redact), actor: redact(entry.actor), actorRole: entry.actorRole,
            action: entry.action, resource: entry.resource.map(redact), scopes: entry.scopes.map(redactingAll),
            decision: entry.decision.map(redact), reason: entry.reason.map(redact), tokenID: entry.tokenID.map(redact),
            details: redactingAll(entry.details), previousHash: previousHash, hash: hash)
    }

    // `redact` returns its input when it holds no credential shape; so do these, for whole
    // collections, instead of building an equal copy for every event (the common case).
    private static func redactingAll(_ texts: [String]) -> [String] {
        texts.contains(where: CredentialRedaction.mayHoldCredential) ? texts.map(CredentialRedaction.redact) : texts
    }

    private static func redactingAll(_ details: [String: String]) -> [String: String] {
        details.values.contains(where: CredentialRedaction.mayHoldCredential)
            ? details.mapValues(CredentialRedaction.redact) : details
    }

    /// Checks `events` (ascending, contiguous) as a continuation of `start`, and, when given,
    /// that they end exactly at `expectedHead`. Names the first broken link.
    public static func verify(
        _ events: [AuditEvent], after start: AuditCheckpoint = .genesis,
        expectedHead: AuditCheckpoint? = nil
    ) -> AuditVerification {
        var expected = start
        for event in events {
            let next = expected.sequence + 1
            guard event.sequence == next else {
                return .broken(atSequence: next, reason: event.sequence > next ? .missing : .outOfOrder)
            }
            guard ConstantTime.equals(event.previousHash, expected.hash) else {
                return .broken(atSequence: next, reason: .previousHashMismatch)
            }
            guard ConstantTime.equals(event.computedHash, event.hash) else {
                return .broken(atSequence: next, reason: .contentMismatch)
            }
            expected = AuditCheckpoint(sequence: event.sequence, hash: event.hash)
        }
        if let expectedHead {
            if expected.sequence < expectedHead.sequence {
                return .broken(atSequence: expected.sequence + 1, reason: .truncated)
            }
            if expected.sequence == expectedHead.sequence, !ConstantTime.equals(expected.hash, expectedHead.hash) {
                return .broken(atSequence: expected.sequence, reason: .checkpointMismatch)
            }
            if expected.sequence > expectedHead.sequence {
                // The checkpoint lies inside the list: find the event it names.
                let named = events.first { $0.sequence == expectedHead.sequence }
                if let named, !ConstantTime.equals(named.hash, expectedHead.hash) {
                    return .broken(atSequence: named.sequence, reason: .checkpointMismatch)
                }
            }
        }
        return .ok(count: events.count)
    }
}
