import Foundation

/// An admin API key as stored: never the secret, only its SHA-256 (DESIGN §3.6).
///
/// The secret shown once at creation is `ma_<id>_<43 base64url characters>`: the prefix makes a
/// leaked key recognisable to secret scanners, the id (8 characters from 48 random bits, not
/// secret) finds the row without hashing the whole table, and the last part carries 256 random
/// bits. Verification hashes the presented secret and compares in constant time.
///
/// ```swift
/// let (secret, key) = AdminKey.make(name: "ops", role: .admin, at: now, random: random)
/// print(secret)                  // shown once
/// key.verify(presented: secret)  // true
/// ```
public struct AdminKey: Hashable, Codable, Sendable {
    /// The recognisable start of every secret.
    public static let secretPrefix = "ma_"

    /// The non-secret key id (8 base64url characters), shown in lists and used as audit actor.
    public let id: String
    public let name: String
    public let role: AdminRole
    /// SHA-256 of the full secret string's UTF-8 bytes.
    public let secretHash: [UInt8]
    public let createdAt: Date
    public private(set) var revokedAt: Date?

    /// A key as stored.
    public init(id: String, name: String, role: AdminRole, secretHash: [UInt8], createdAt: Date, revokedAt: Date? = nil)
    {
        self.id = id
        self.name = name
        self.role = role
        self.secretHash = secretHash
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    /// A new key and its secret (returned once, never stored).
    public static func make(
        name: String, role: AdminRole, at now: Date,
        random: any RandomSource
    ) -> (secret: String, key: AdminKey) {
        // The id is parsed back out of the secret at `_`, and operators type it as a command-line
        // argument (`admin-key revoke ID`), where a leading `-` reads as an option: base64url's
        // `_` and `-` are swapped for letters (an identifier, not a secret: 48 bits stay plenty).
        let id = String(random.identifier(byteCount: 6).map { $0 == "_" ? "A" : $0 == "-" ? "B" : $0 })
        let secret = secretPrefix + id + "_" + Base64URL.encode(random.bytes(count: 32))
        let key = AdminKey(id: id, name: name, role: role, secretHash: SHA256.hash(Array(secret.utf8)), createdAt: now)
        return (secret, key)
    }

    /// The key id inside a presented secret, to look the key up; `nil` if it is not shaped
    /// like one of our secrets.
    public static func keyID(inSecret presented: String) -> String? {
        guard presented.hasPrefix(secretPrefix), presented.utf8.count == secretPrefix.utf8.count + 8 + 1 + 43 else {
            return nil
        }
        let rest = presented.dropFirst(secretPrefix.count)
        let id = rest.prefix(8)
        guard rest.dropFirst(8).first == "_", Base64URL.decode(id) != nil else { return nil }
        return String(id)
    }

    /// Whether `presented` is this key's secret and the key is not revoked.
    public func verify(presented: String) -> Bool {
        let matches = ConstantTime.equals(SHA256.hash(Array(presented.utf8)), secretHash)
        return matches && revokedAt == nil
    }

    /// Whether the key is still usable.
    public var isActive: Bool { revokedAt == nil }

    /// Marks the key revoked; the first revocation time is kept.
    public mutating func revoke(at now: Date) {
        if revokedAt == nil { revokedAt = now }
    }
}
