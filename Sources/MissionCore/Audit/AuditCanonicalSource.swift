/// Something that holds an audit event's hashed members (see `AuditCanonicalForm`).
protocol AuditCanonicalSource {
    /// Whether `member` is present (absent members are left out, not written as `null`).
    func has(_ member: AuditCanonicalForm.Member) -> Bool
    /// Writes the value of a present `member`.
    func write(_ member: AuditCanonicalForm.Member, to writer: inout AuditCanonicalForm.Writer)
}
