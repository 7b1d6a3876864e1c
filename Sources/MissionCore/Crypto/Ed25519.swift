import COpenSSL

/// Ed25519 signatures (RFC 8032 §5.1, PureEdDSA) through OpenSSL.
///
/// ```swift
/// let key = try Ed25519.PrivateKey()
/// let signature = try key.signature(for: Array("hello".utf8))
/// key.publicKey.isValidSignature(signature, for: Array("hello".utf8))   // true
/// ```
public enum Ed25519 {
    /// Length of a private key seed, a public key and half a signature (RFC 8032 §5.1.5).
    public static let keyByteCount = 32
    /// Length of a signature (RFC 8032 §5.1.6).
    public static let signatureByteCount = 64

    /// An Ed25519 private key.
    public struct PrivateKey: Sendable {
        let key: EVPKey
        /// The matching public key, derived once at creation.
        public let publicKey: PublicKey

        /// A fresh key from OpenSSL's CSPRNG.
        public init() throws(CryptoError) {
            try self.init(rawRepresentation: SecureRandom.bytes(count: Ed25519.keyByteCount))
        }

        /// A key from its 32-byte seed (RFC 8032 §5.1.5, the "private key" in §7.1's vectors).
        public init(rawRepresentation: some Collection<UInt8>) throws(CryptoError) {
            let seed = Array(rawRepresentation)
            guard seed.count == Ed25519.keyByteCount else {
                throw .invalidKeyLength(expected: Ed25519.keyByteCount, actual: seed.count)
            }
            guard let pointer = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, seed, seed.count) else {
                throw CryptoError.invalidKeyFromOpenSSL()
            }
            try self.init(key: EVPKey(owning: pointer))
        }

        /// Imports an unencrypted PKCS#8 PEM document (as written by `pemRepresentation`).
        public init(pemRepresentation: String) throws(CryptoError) {
            let key = try EVPKey.fromPKCS8PEM(pemRepresentation)
            guard key.baseID == EVP_PKEY_ED25519 else { throw .wrongKeyType(expected: "Ed25519") }
            try self.init(key: key)
        }

        private init(key: EVPKey) throws(CryptoError) {
            var raw = [UInt8](repeating: 0, count: Ed25519.keyByteCount)
            var length = raw.count
            guard EVP_PKEY_get_raw_public_key(key.pointer, &raw, &length) == 1,
                length == Ed25519.keyByteCount
            else { throw CryptoError.openSSL("EVP_PKEY_get_raw_public_key") }
            guard let pointer = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, raw, raw.count) else {
                throw CryptoError.openSSL("EVP_PKEY_new_raw_public_key")
            }
            self.key = key
            self.publicKey = PublicKey(key: EVPKey(owning: pointer), rawRepresentation: raw)
        }

        /// The 32-byte seed. Secret: only for storage and tests.
        public var rawRepresentation: [UInt8] {
            get throws(CryptoError) {
                var raw = [UInt8](repeating: 0, count: Ed25519.keyByteCount)
                var length = raw.count
                guard EVP_PKEY_get_raw_private_key(key.pointer, &raw, &length) == 1,
                    length == Ed25519.keyByteCount
                else { throw CryptoError.openSSL("EVP_PKEY_get_raw_private_key") }
                return raw
            }
        }

        /// The key as an unencrypted PKCS#8 PEM document (RFC 8410 §7), for key storage.
        public var pemRepresentation: String {
            get throws(CryptoError) { try key.pkcs8PEM() }
        }

        /// The 64-byte signature of `message` (deterministic, RFC 8032 §5.1.6).
        public func signature(for message: [UInt8]) throws(CryptoError) -> [UInt8] {
            try key.sign(message, digest: nil)
        }
    }

    /// An Ed25519 public key.
    public struct PublicKey: Sendable, Equatable {
        let key: EVPKey
        /// The 32-byte encoded point (RFC 8032 §5.1.2); the JWK `x` member (RFC 8037 §2).
        public let rawRepresentation: [UInt8]

        init(key: EVPKey, rawRepresentation: [UInt8]) {
            self.key = key
            self.rawRepresentation = rawRepresentation
        }

        /// A key from its 32-byte encoding.
        public init(rawRepresentation: some Collection<UInt8>) throws(CryptoError) {
            let raw = Array(rawRepresentation)
            guard raw.count == Ed25519.keyByteCount else {
                throw .invalidKeyLength(expected: Ed25519.keyByteCount, actual: raw.count)
            }
            guard let pointer = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, raw, raw.count) else {
                throw CryptoError.invalidKeyFromOpenSSL()
            }
            self.init(key: EVPKey(owning: pointer), rawRepresentation: raw)
        }

        /// `true` only for a valid 64-byte signature of `message` under this key.
        public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
            guard signature.count == Ed25519.signatureByteCount else { return false }
            return key.verify(signature: signature, message: message, digest: nil)
        }

        public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
            lhs.rawRepresentation == rhs.rawRepresentation
        }
    }
}
