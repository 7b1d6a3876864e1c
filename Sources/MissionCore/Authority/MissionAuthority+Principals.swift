import Foundation

extension MissionAuthority {
    // MARK: Admin keys

    /// Creates an admin API key; the secret is returned once and never stored (only its SHA-256).
    public func createAdminKey(
        name: String, role: AdminRole, by principal: AdminPrincipal
    ) async throws(AuthorityError) -> (key: AdminKeyRecord, secret: String) {
        try require(.manageKeys, principal)
        guard !name.isEmpty, name.utf8.count <= 200, !name.contains(where: \.isNewline) else {
            throw .invalidRequest("name: 1…200 bytes on one line")
        }
        let now = time.now()
        let (secret, key) = AdminKey.make(name: name, role: role, at: now, random: random)
        let created = entry(
            .adminKeyCreated, by: principal, at: now, decision: "created",
            details: ["key_id": key.id, "key_name": name, "key_role": role.rawValue])
        try await durable { db, appender in
            try db.run(
                "INSERT INTO admin_keys(id, name, role, secret_hash, created_ms) VALUES (?, ?, ?, ?, ?)",
                [
                    .text(key.id), .text(name), .text(role.rawValue), .blob(key.secretHash),
                    .integer(RecordCoding.milliseconds(now)),
                ])
            try appender.append([created], on: db)
        }
        return (
            AdminKeyRecord(id: key.id, name: name, role: role, createdAt: now, lastUsedAt: nil, revokedAt: nil), secret
        )
    }

    /// Every admin key, oldest first (no secrets, no hashes).
    public func listAdminKeys() throws(AuthorityError) -> [AdminKeyRecord] {
        try read { db in
            try db.rows(
                "SELECT id, name, role, created_ms, last_used_ms, revoked_ms FROM admin_keys ORDER BY created_ms, id"
            )
            .map { row in
                guard let role = AdminRole(rawValue: try row.text(2)) else {
                    throw AuthorityError.corruptRecord("admin key role")
                }
                return AdminKeyRecord(
                    id: try row.text(0), name: try row.text(1), role: role,
                    createdAt: RecordCoding.date(milliseconds: try row.int64(3)),
                    lastUsedAt: try row.optionalInt64(4).map(RecordCoding.date(milliseconds:)),
                    revokedAt: try row.optionalInt64(5).map(RecordCoding.date(milliseconds:)))
            }
        }
    }

    /// Revokes an admin key; it stops authenticating at once.
    public func revokeAdminKey(id: String, by principal: AdminPrincipal) async throws(AuthorityError) {
        try require(.manageKeys, principal)
        let now = time.now()
        let revoked = entry(.adminKeyRevoked, by: principal, at: now, decision: "revoked", details: ["key_id": id])
        try await durable { db, appender in
            try db.run(
                "UPDATE admin_keys SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL",
                [.integer(RecordCoding.milliseconds(now)), .text(id)])
            guard db.changes == 1 else { throw AuthorityError.notFound }
            try appender.append([revoked], on: db)
        }
    }

    /// The principal for a presented admin secret, or `nil`. SHA-256 of the secret finds the
    /// row through its unique index; the stored hash is then compared in constant time.
    /// `last_used` is written at most once a minute per key, off the request's path.
    public func authenticateAdmin(secret: String) throws(AuthorityError) -> AdminPrincipal? {
        guard let keyID = AdminKey.keyID(inSecret: secret) else { return nil }
        let presented = SHA256.hash(Array(secret.utf8))
        let row = try read { db in
            try db.firstRow(
                "SELECT id, name, role, secret_hash, revoked_ms, last_used_ms FROM admin_keys WHERE secret_hash = ?",
                [.blob(presented)])
        }
        guard let row else { return nil }
        let record: (id: String, name: String, role: String, hash: [UInt8], revoked: Int64?, lastUsed: Int64?)
        do {
            record = (
                try row.text(0), try row.text(1), try row.text(2), try row.blob(3), try row.optionalInt64(4),
                try row.optionalInt64(5)
            )
        } catch { throw .corruptRecord("admin key row") }
        guard ConstantTime.equals(record.hash, presented), record.id == keyID, record.revoked == nil,
            let role = AdminRole(rawValue: record.role)
        else { return nil }
        let now = time.now()
        if adminKeyUse.shouldRecord(
            keyID, storedLastUse: record.lastUsed.map(RecordCoding.date(milliseconds:)), at: now)
        {
            let database = self.database
            let milliseconds = RecordCoding.milliseconds(now)
            // Bookkeeping only: not a decision, so it is not awaited and a failure is harmless.
            Task.detached {
                try? await database.write { db in
                    try db.run(
                        "UPDATE admin_keys SET last_used_ms = ? WHERE id = ?", [.integer(milliseconds), .text(keyID)])
                }
            }
        }
        return AdminPrincipal(keyID: record.id, name: record.name, role: role)
    }

    // MARK: Agent keys

    /// Registers a bare agent key (a public JWK, JSON text); its identity is
    /// `urn:jkt:sha-256:<thumbprint>`.
    @discardableResult
    public func registerAgentKey(name: String, jwk: String, by principal: AdminPrincipal) async throws(AuthorityError)
        -> RegisteredAgentKey
    {
        try require(.manageAgents, principal)
        let parsed: JWK
        do { parsed = try JWK(jsonData: Array(jwk.utf8)) } catch { throw .invalidRequest("jwk: \(error)") }
        let now = time.now()
        let key: RegisteredAgentKey
        do {
            key = try RegisteredAgentKey(
                jwk: parsed.jsonString, thumbprint: parsed.thumbprint(), name: name, registeredAt: now)
        } catch { throw AuthorityError(error) }
        let registered = entry(
            .agentRegistered, by: principal, at: now, decision: "registered",
            details: ["thumbprint": key.thumbprint, "key_name": name])
        try await durable { db, appender in
            try db.run(
                "INSERT INTO agent_keys(thumbprint, name, jwk, enabled, created_ms) VALUES (?, ?, ?, 1, ?)",
                [.text(key.thumbprint), .text(name), .text(key.jwk), .integer(RecordCoding.milliseconds(now))])
            try appender.append([registered], on: db)
        }
        agentKeys.invalidate()
        return key
    }

    /// Every registered agent key, oldest first.
    public func listAgentKeys() throws(AuthorityError) -> [RegisteredAgentKey] {
        try read { db in
            try db.rows(
                "SELECT jwk, thumbprint, name, enabled, created_ms FROM agent_keys ORDER BY created_ms, thumbprint"
            )
            .map { row in
                try RegisteredAgentKey(
                    jwk: row.text(0), thumbprint: row.text(1), name: row.text(2), isEnabled: row.int64(3) != 0,
                    registeredAt: RecordCoding.date(milliseconds: row.int64(4)))
            }
        }
    }

    /// Removes a registered agent key.
    public func removeAgentKey(thumbprint: String, by principal: AdminPrincipal) async throws(AuthorityError) {
        try require(.manageAgents, principal)
        let removed = entry(
            .agentRemoved, by: principal, at: time.now(), decision: "removed", details: ["thumbprint": thumbprint])
        try await durable { db, appender in
            try db.run("DELETE FROM agent_keys WHERE thumbprint = ?", [.text(thumbprint)])
            guard db.changes == 1 else { throw AuthorityError.notFound }
            try appender.append([removed], on: db)
        }
        agentKeys.invalidate()
    }

    /// Whether an enabled registered key has this RFC 7638 thumbprint (cached in memory).
    public func isRegisteredAgentKey(thumbprint: String) throws(AuthorityError) -> Bool {
        do {
            return try agentKeys.contains(thumbprint) {
                try database.read { db in
                    Set(try db.rows("SELECT thumbprint FROM agent_keys WHERE enabled = 1").map { try $0.text(0) })
                }
            }
        } catch { throw .corruptRecord("agent keys: \(error)") }
    }

    // MARK: Signing keys

    /// The published signing keys (the MA's JWKS document): the current key and retired keys
    /// still inside their publication window.
    public func jwks() -> JWKSet { signingKeys.jwks(at: time.now()) }

    /// The `kid` of the key that signs new tokens.
    public var currentSigningKeyID: String { signingKeys.currentKeyID }

    /// Makes a fresh key current; the old one stays published for `settings.maxTokenLifetime`
    /// so tokens it signed remain verifiable until they expire. Returns the new `kid`.
    @discardableResult
    public func rotateSigningKey(by principal: AdminPrincipal) async throws(AuthorityError) -> String {
        try require(.manageKeys, principal)
        let now = time.now()
        let fresh: SigningKeyStore.Fresh
        do {
            fresh = try SigningKeyStore.generate(
                algorithm: settings.signingAlgorithm, folder: signingKeys.folderPath, now: now)
        } catch { throw AuthorityError.converting(error) }
        let old = signingKeys.currentKeyID
        let grace = TimeInterval(settings.maxTokenLifetime)
        let rotated = entry(
            .keysRotated, by: principal, at: now, decision: "rotated",
            details: ["kid": fresh.record.kid, "retired_kid": old])
        try await durable { db, appender in
            try SigningKeyStore.retire(kid: old, at: now, grace: grace, on: db)
            try SigningKeyStore.insert(fresh, on: db)
            try appender.append([rotated], on: db)
        }
        signingKeys.installRotation(fresh, retiredAt: now, grace: grace)
        return fresh.record.kid
    }
}
