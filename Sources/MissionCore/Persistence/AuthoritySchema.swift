/// The MA's database schema. Migration scripts are immutable once released: change the schema
/// only by appending a migration. STRICT tables, so a value of the wrong type is an error, not
/// a silent conversion. No deferred foreign keys (Docs/Storage.md: they would fail a whole batch).
enum AuthoritySchema {
    static let migrations: [SQLiteMigration] = [version1, version2, version3, version4]

    static let version1 = SQLiteMigration(
        version: 1,
        sql: """
            CREATE TABLE missions(
                s256 TEXT PRIMARY KEY,
                agent TEXT NOT NULL,
                form TEXT NOT NULL CHECK (form IN ('markdown', 'blob')),
                approved BLOB NOT NULL,
                state TEXT NOT NULL,
                envelope TEXT NOT NULL,
                created_ms INTEGER NOT NULL,
                approved_ms INTEGER NOT NULL,
                expires_ms INTEGER,
                termination_reason TEXT,
                terminated_ms INTEGER,
                summary TEXT,
                origin_review TEXT,
                record TEXT NOT NULL
            ) STRICT;
            CREATE INDEX missions_agent ON missions(agent, created_ms);
            CREATE INDEX missions_state ON missions(state, expires_ms);
            CREATE INDEX missions_created ON missions(created_ms);

            CREATE TABLE mission_amendments(
                mission TEXT NOT NULL REFERENCES missions(s256),
                kind TEXT NOT NULL CHECK (kind IN ('amendment', 'update')),
                sequence INTEGER NOT NULL,
                body BLOB NOT NULL,
                s256 TEXT NOT NULL,
                created_ms INTEGER NOT NULL,
                PRIMARY KEY (mission, kind, sequence)
            ) STRICT;

            CREATE TABLE reviews(
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('proposal', 'access_request')),
                owner TEXT NOT NULL,
                mission TEXT,
                request TEXT NOT NULL,
                state TEXT NOT NULL,
                created_ms INTEGER NOT NULL,
                expires_ms INTEGER NOT NULL,
                decided_ms INTEGER,
                decision TEXT,
                rounds TEXT NOT NULL,
                delivered INTEGER NOT NULL DEFAULT 0,
                last_poll_ms INTEGER,
                record TEXT NOT NULL
            ) STRICT;
            CREATE INDEX reviews_state ON reviews(state, created_ms);
            CREATE INDEX reviews_expiry ON reviews(state, expires_ms);

            CREATE TABLE audit_events(
                seq INTEGER PRIMARY KEY,
                time_ms INTEGER NOT NULL,
                mission TEXT,
                actor TEXT NOT NULL,
                actor_role TEXT NOT NULL,
                action TEXT NOT NULL,
                resource TEXT,
                scopes TEXT,
                decision TEXT,
                reason TEXT,
                token_id TEXT,
                details TEXT,
                prev_hash BLOB NOT NULL,
                hash BLOB NOT NULL
            ) STRICT;
            CREATE INDEX audit_events_mission ON audit_events(mission, seq);

            CREATE TABLE admin_keys(
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                role TEXT NOT NULL,
                secret_hash BLOB NOT NULL UNIQUE,
                created_ms INTEGER NOT NULL,
                last_used_ms INTEGER,
                revoked_ms INTEGER
            ) STRICT;

            CREATE TABLE agent_keys(
                thumbprint TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                jwk TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                created_ms INTEGER NOT NULL
            ) STRICT;

            CREATE TABLE signing_keys(
                kid TEXT PRIMARY KEY,
                alg TEXT NOT NULL,
                public_jwk TEXT NOT NULL,
                created_ms INTEGER NOT NULL,
                retired_ms INTEGER,
                publish_until_ms INTEGER
            ) STRICT;

            CREATE TABLE issued_tokens(
                jti TEXT PRIMARY KEY,
                mission TEXT NOT NULL,
                agent TEXT NOT NULL,
                resource TEXT NOT NULL,
                scope TEXT NOT NULL,
                iat INTEGER NOT NULL,
                exp INTEGER NOT NULL,
                audit_seq INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX issued_tokens_mission ON issued_tokens(mission);

            CREATE TABLE delegation_edges(
                mission TEXT NOT NULL,
                agent TEXT NOT NULL,
                resource TEXT NOT NULL,
                jti TEXT PRIMARY KEY,
                upstream_jti TEXT,
                time_ms INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX delegation_edges_mission ON delegation_edges(mission, time_ms);
            """)

    /// One row per issued token, keyed by its grant's audit event. Version 1 wrote two rows per grant
    /// (`issued_tokens` and `delegation_edges`, each with a `jti` primary key): six B-tree inserts in
    /// the group commit, two of them at random places (128-bit random keys), so a batch dirtied a page
    /// per token in each. Now: the row is appended by `audit_seq` (monotonic) and indexed by mission
    /// and time, which serves the delegation tree; `jti` stays a column (a lookup by `jti` is an
    /// investigation, not a hot path, and 128 random bits do not collide).
    static let version3 = SQLiteMigration(
        version: 3,
        sql: """
            CREATE TABLE issued_tokens_v2(
                audit_seq INTEGER PRIMARY KEY,
                jti TEXT NOT NULL,
                mission TEXT NOT NULL,
                agent TEXT NOT NULL,
                resource TEXT NOT NULL,
                scope TEXT NOT NULL,
                iat INTEGER NOT NULL,
                exp INTEGER NOT NULL,
                upstream_jti TEXT,
                time_ms INTEGER NOT NULL
            ) STRICT;
            INSERT INTO issued_tokens_v2(audit_seq, jti, mission, agent, resource, scope, iat, exp, upstream_jti, time_ms)
                SELECT t.audit_seq, t.jti, t.mission, t.agent, t.resource, t.scope, t.iat, t.exp, e.upstream_jti,
                       coalesce(e.time_ms, t.iat * 1000)
                FROM issued_tokens t LEFT JOIN delegation_edges e ON e.jti = t.jti;
            DROP TABLE delegation_edges;
            DROP TABLE issued_tokens;
            ALTER TABLE issued_tokens_v2 RENAME TO issued_tokens;
            CREATE INDEX issued_tokens_mission ON issued_tokens(mission, time_ms);
            """)
}

extension AuthoritySchema {
    /// Replay marks: signatures accepted while dated ahead of the clock, kept until they expire
    /// (Docs/Protocol.md, "Replay and restarts"). `expires` is indexed for the pruning delete.
    static let version2 = SQLiteMigration(
        version: 2,
        sql: """
            CREATE TABLE replay_marks(
                digest BLOB PRIMARY KEY CHECK (length(digest) = 32),
                created INTEGER NOT NULL,
                expires INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX replay_marks_expiry ON replay_marks(expires);
            """)
}

extension AuthoritySchema {
    /// No mission index on `issued_tokens`. Every grant added an entry to it under its own mission,
    /// so a group commit of grants for different missions dirtied (and wrote to the WAL, and later
    /// checkpointed) one more index page per grant. The delegation tree, its only reader, now
    /// finds a mission's tokens through `audit_events_mission`: a token row is keyed by its
    /// grant's audit sequence.
    static let version4 = SQLiteMigration(
        version: 4,
        sql: """
            DROP INDEX issued_tokens_mission;
            """)
}
