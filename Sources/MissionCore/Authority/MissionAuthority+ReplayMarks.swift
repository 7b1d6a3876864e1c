import Foundation

extension MissionAuthority {
    /// Records `mark` durably (one group-committed write that also drops marks expired before now)
    /// and returns once it is on disk. The caller records it before deciding anything on the
    /// signature, so a decision the previous process made on it always has its mark after a restart.
    /// Throws `auditUnavailable` when it cannot be written (the caller then refuses the request).
    public func recordReplayMark(_ mark: ReplayMark) async throws(AuthorityError) {
        let now = Int64(time.now().timeIntervalSince1970.rounded(.down))
        try await durable { db, _ in
            try db.run("DELETE FROM replay_marks WHERE expires < ?", [.integer(now)])
            // A mark is recorded once per accepted signature; OR IGNORE keeps a repeat harmless.
            try db.run(
                "INSERT OR IGNORE INTO replay_marks(digest, created, expires) VALUES (?, ?, ?)",
                [.blob(mark.digest), .integer(mark.created), .integer(mark.expires)])
        }
    }

    /// The marks still in force at `now` (expiry not before `now`'s second), oldest `created` first:
    /// what a starting server loads into its replay cache.
    public func replayMarks(unexpiredAt now: Date) throws(AuthorityError) -> [ReplayMark] {
        let second = Int64(now.timeIntervalSince1970.rounded(.down))
        return try read { db in
            try db.rows(
                "SELECT digest, created, expires FROM replay_marks WHERE expires >= ? ORDER BY created",
                [.integer(second)]
            )
            .map { row in
                let digest = try row.blob(0)
                guard digest.count == ReplayMark.digestByteCount else {
                    throw AuthorityError.corruptRecord("replay mark digest")
                }
                return ReplayMark(digest: digest, created: try row.int64(1), expires: try row.int64(2))
            }
        }
    }

    /// When the newest agent event among the last `count` audit events was recorded; if none of them is an
    /// agent's but there are `count`, the oldest of them (a conservative bound); `nil` when there are fewer and
    /// none is an agent's. What a starting server needs for its replay bound (Docs/Protocol.md, "Replay and
    /// restarts"): one backward read of the primary key over two columns, no event decoding.
    public func lastAgentActivity(amongLast count: Int = 200) throws(AuthorityError) -> Date? {
        try read { db in
            let rows = try db.rows(
                "SELECT time_ms, actor_role FROM audit_events ORDER BY seq DESC LIMIT ?", [.int(max(1, count))])
            for row in rows where try row.text(1) == ActorRole.agent.rawValue {
                return RecordCoding.date(milliseconds: try row.int64(0))
            }
            guard rows.count == count, let oldest = rows.last else { return nil }
            return RecordCoding.date(milliseconds: try oldest.int64(0))
        }
    }
}
