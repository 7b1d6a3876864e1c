import Foundation

/// Writes an approval out as the exact bytes that get hashed, stored and served (DESIGN §3.2).
///
/// **Markdown form** (seed draft): the approved text, then a separator and an MA section:
/// ```
/// <approved text, trailing newlines trimmed>
///
/// ---
///
/// ## Mission Authority approval
///
/// - Agent: aauth:assistant@agent.example
/// - Approved at: 2026-04-07T14:30:00Z
/// - Reference: 3q2-7wAAAAAAAAAAAAAAAA
/// - Expires at: 2026-04-08T14:30:00Z
/// - Token lifetime: at most 300 seconds
///
/// ### Granted access
///
/// - https://flights.example: fare.hold, search
///
/// ### Access that needs a reviewer
///
/// - https://*.example.com: any scope
/// ```
/// The random reference (128 bits) means two approvals of the same text never share an `s256`.
///
/// **Blob form** (current draft): canonical JSON (sorted keys, no whitespace) with members
/// `agent`, `approved_at`, `approved_resources`?, `approved_tools`?, `approver`?, `description`,
/// `envelope`? (`{"grants","max_token_lifetime","review"}`, left out when it is the default empty
/// envelope), `expires_at`?, `reference`?. Absent optional members are omitted, never `null`,
/// so the minimal approval gives exactly the blob of `vectors/test-vectors.txt`.
public enum MissionComposer {
    /// Composes in `form`, drawing a fresh reference from `random`: the production entry point.
    public static func compose(
        _ approval: MissionApproval, form: ApprovedMission.Form,
        random: any RandomSource
    ) -> ApprovedMission {
        let reference = random.identifier()
        switch form {
        case .markdown: return markdown(approval, reference: reference)
        case .blob: return blob(approval, reference: reference)
        }
    }

    /// The seed-form approved Markdown with the given reference.
    public static func markdown(_ approval: MissionApproval, reference: String) -> ApprovedMission {
        var text = approval.text
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        var lines: [String] = [text, "", "---", "", "## Mission Authority approval", ""]
        lines.append("- Agent: \(approval.agent)")
        if let approver = approval.approver { lines.append("- Approver: \(approver)") }
        lines.append("- Approved at: \(RFC3339.string(from: approval.approvedAt))")
        lines.append("- Reference: \(reference)")
        lines.append("- Expires at: " + (approval.expiresAt.map(RFC3339.string(from:)) ?? "no fixed expiry"))
        lines.append("- Token lifetime: at most \(approval.envelope.maxTokenLifetime) seconds")
        lines += ["", "### Granted access", ""] + entries(approval.envelope.grants)
        lines += ["", "### Access that needs a reviewer", ""] + entries(approval.envelope.review)
        return ApprovedMission(form: .markdown, bytes: Array((lines.joined(separator: "\n") + "\n").utf8))
    }

    /// The current-draft blob; `reference` is left out when `nil` (as in the published vector).
    public static func blob(_ approval: MissionApproval, reference: String?) -> ApprovedMission {
        let envelope = approval.envelope
        let value = CanonicalValue.members([
            ("agent", .string(approval.agent)),
            ("approved_at", .string(RFC3339.string(from: approval.approvedAt))),
            ("approved_resources", approval.resources.isEmpty ? nil : .array(approval.resources.map(\.canonicalValue))),
            ("approved_tools", approval.tools.isEmpty ? nil : .array(approval.tools.map(\.canonicalValue))),
            ("approver", approval.approver.map { .string($0) }),
            ("description", .string(approval.text)),
            ("envelope", envelope.isDefault ? nil : envelope.canonicalValue),
            ("expires_at", approval.expiresAt.map { .string(RFC3339.string(from: $0)) }),
            ("reference", reference.map { .string($0) }),
        ])
        return ApprovedMission(form: .blob, bytes: value.bytes)
    }

    private static func entries(_ grants: [AccessGrant]) -> [String] {
        guard !grants.isEmpty else { return ["- none"] }
        return grants.map { "- \($0.resource): \($0.scopes.displayText)" }
    }
}
