import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The MA's token-signing keys: private keys as PKCS#8 PEM files in `<data dir>/keys/<kid>.pem`
/// (folder 0700, files 0600), public halves and lifetimes in `signing_keys`.
///
/// One key is current (signs new tokens). `rotate` makes a fresh key current and retires the old
/// one, which stays in the JWKS until `retired_at + maxTokenLifetime`, so every token it signed
/// can still be verified until it expires. The `kid` is the key's RFC 7638 thumbprint. Keys are
/// loaded once and cached; a lock guards the cache (`@unchecked Sendable`).
final class SigningKeyStore: @unchecked Sendable {
    /// A published key.
    struct Published: Sendable {
        let kid: String
        let jwk: JWK
        let createdAt: Date
        let retiredAt: Date?
        let publishUntil: Date?
    }

    private let folder: String
    private let lock = NSLock()
    private var currentSigner: JWTSigner
    private var published: [Published]

    private init(folder: String, current: JWTSigner, published: [Published]) {
        self.folder = folder
        self.currentSigner = current
        self.published = published
    }

    /// The signer of new tokens (header `kid` set).
    var current: JWTSigner { lock.withLock { currentSigner } }

    /// The kid of the current key.
    var currentKeyID: String { lock.withLock { currentSigner.keyID ?? "" } }

    /// Every key still published at `now`, newest first.
    func jwks(at now: Date) -> JWKSet {
        let keys = lock.withLock { published }
        return JWKSet(keys: keys.filter { key in key.publishUntil.map { $0 > now } ?? true }.map(\.jwk))
    }

    /// Loads the current key, generating and recording one on first start (`insert` records its
    /// row inside the caller's durable write).
    static func open(
        folder: String, database: Database, algorithm: JWSAlgorithm, now: Date
    ) async throws -> SigningKeyStore {
        try prepareFolder(folder)
        let rows = try database.read { db in try loadRows(on: db) }
        if let currentRow = rows.first(where: { $0.retiredAt == nil }) {
            let pem = try readKeyFile(folder: folder, kid: currentRow.kid)
            let key = try privateKey(pem: pem, algorithm: currentRow.jwk.publicKey.algorithm)
            guard key.publicKey == currentRow.jwk.publicKey else {
                throw AuthorityError.corruptRecord("signing key \(currentRow.kid): file does not match its record")
            }
            return SigningKeyStore(
                folder: folder, current: JWTSigner(key: key, keyID: currentRow.kid), published: rows)
        }
        let fresh = try generate(algorithm: algorithm, folder: folder, now: now)
        try await database.write { db in try insert(fresh, on: db) }
        return SigningKeyStore(
            folder: folder, current: JWTSigner(key: fresh.key, keyID: fresh.record.kid),
            published: [fresh.record] + rows)
    }

    /// A new key written to disk, not yet recorded.
    struct Fresh: Sendable {
        let key: JOSEPrivateKey
        let record: Published
    }

    /// Generates a key and writes its PEM file (0600, never overwriting).
    static func generate(algorithm: JWSAlgorithm, folder: String, now: Date) throws -> Fresh {
        let key: JOSEPrivateKey
        let pem: String
        switch algorithm {
        case .ed25519:
            let generated = try Ed25519.PrivateKey()
            key = .ed25519(generated)
            pem = try generated.pemRepresentation
        case .es256:
            let generated = try P256.Signing.PrivateKey()
            key = .p256(generated)
            pem = try generated.pemRepresentation
        }
        let kid = key.publicKey.jwk().thumbprint()
        try writeKeyFile(folder: folder, kid: kid, pem: pem)
        let jwk = key.publicKey.jwk(keyID: kid, use: "sig")
        return Fresh(key: key, record: Published(kid: kid, jwk: jwk, createdAt: now, retiredAt: nil, publishUntil: nil))
    }

    /// Records `fresh` (inside a write work item).
    static func insert(_ fresh: Fresh, on db: SQLiteConnection) throws {
        try db.run(
            "INSERT INTO signing_keys(kid, alg, public_jwk, created_ms) VALUES (?, ?, ?, ?)",
            [
                .text(fresh.record.kid), .text(fresh.record.jwk.publicKey.algorithm.rawValue),
                .text(fresh.record.jwk.jsonString), .integer(RecordCoding.milliseconds(fresh.record.createdAt)),
            ])
    }

    /// Retires the current key in the table (inside a write work item), published until
    /// `now + grace`.
    static func retire(kid: String, at now: Date, grace: TimeInterval, on db: SQLiteConnection) throws {
        try db.run(
            "UPDATE signing_keys SET retired_ms = ?, publish_until_ms = ? WHERE kid = ? AND retired_ms IS NULL",
            [
                .integer(RecordCoding.milliseconds(now)), .integer(RecordCoding.milliseconds(now + grace)),
                .text(kid),
            ])
    }

    /// Switches the cache to `fresh` once its rotation is durable.
    func installRotation(_ fresh: Fresh, retiredAt now: Date, grace: TimeInterval) {
        lock.withLock {
            let old = currentSigner.keyID
            published = published.map { key in
                guard key.kid == old, key.retiredAt == nil else { return key }
                return Published(
                    kid: key.kid, jwk: key.jwk, createdAt: key.createdAt, retiredAt: now, publishUntil: now + grace)
            }
            published.insert(fresh.record, at: 0)
            currentSigner = JWTSigner(key: fresh.key, keyID: fresh.record.kid)
        }
    }

    var folderPath: String { folder }

    // MARK: Files and rows

    private static func loadRows(on db: SQLiteConnection) throws -> [Published] {
        try db.rows(
            "SELECT kid, public_jwk, created_ms, retired_ms, publish_until_ms FROM signing_keys ORDER BY created_ms DESC, kid"
        ).map { row in
            let kid = try row.text(0)
            let jwk: JWK
            do { jwk = try JWK(jsonData: Array(try row.text(1).utf8)) } catch {
                throw AuthorityError.corruptRecord("signing key \(kid): \(error)")
            }
            return Published(
                kid: kid, jwk: jwk, createdAt: RecordCoding.date(milliseconds: try row.int64(2)),
                retiredAt: try row.optionalInt64(3).map(RecordCoding.date(milliseconds:)),
                publishUntil: try row.optionalInt64(4).map(RecordCoding.date(milliseconds:)))
        }
    }

    private static func privateKey(pem: String, algorithm: JWSAlgorithm) throws -> JOSEPrivateKey {
        switch algorithm {
        case .ed25519: return .ed25519(try Ed25519.PrivateKey(pemRepresentation: pem))
        case .es256: return .p256(try P256.Signing.PrivateKey(pemRepresentation: pem))
        }
    }

    private static func prepareFolder(_ folder: String) throws {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        // Tighten a folder someone created with a looser mode: it holds private keys.
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
    }

    private static func path(folder: String, kid: String) throws -> String {
        // A kid is a base64url thumbprint; anything else must never reach a file name.
        guard kid.utf8.count == 43, Base64URL.decode(kid) != nil else {
            throw AuthorityError.corruptRecord("signing key id \(kid) is not a thumbprint")
        }
        return folder + "/" + kid + ".pem"
    }

    private static func writeKeyFile(folder: String, kid: String, pem: String) throws {
        let path = try path(folder: folder, kid: kid)
        // O_EXCL: never overwrite a key; mode 0600 from the start, no window with a looser mode.
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw AuthorityError.corruptRecord("cannot create \(path): errno \(errno)")
        }
        defer { Glibc.close(descriptor) }
        let bytes = Array(pem.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                throw AuthorityError.corruptRecord("cannot write \(path): errno \(errno)")
            }
            written += result
        }
        guard Glibc.fsync(descriptor) == 0 else {
            throw AuthorityError.corruptRecord("cannot sync \(path): errno \(errno)")
        }
    }

    private static func readKeyFile(folder: String, kid: String) throws -> String {
        let path = try path(folder: folder, kid: kid)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuthorityError.corruptRecord("signing key file \(path) is missing")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
