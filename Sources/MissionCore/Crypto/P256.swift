import COpenSSL

/// NIST P-256 (secp256r1). Signing keys live in `P256.Signing`, as in CryptoKit.
///
/// ```swift
/// let key = try P256.Signing.PrivateKey()
/// let signature = try key.signature(for: message)        // 64 bytes r‖s (RFC 7518 §3.4)
/// key.publicKey.isValidSignature(signature, for: message)  // true
/// ```
public enum P256 {
    /// Length of a coordinate, of the private scalar, and of `r` and `s`.
    public static let coordinateByteCount = 32

    /// The group order n (SEC 2 §2.4.2); a private scalar d must satisfy 0 < d < n.
    static let order: [UInt8] = [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
    ]

    /// DER SubjectPublicKeyInfo up to the point (RFC 5480 §2): SEQUENCE { SEQUENCE { id-ecPublicKey,
    /// secp256r1 }, BIT STRING (66 bytes, no unused bits) { 0x04 ‖ x ‖ y } } — the uncompressed
    /// point's leading 0x04 (SEC 1 §2.3.3) included. Importing this through `d2i_PUBKEY` makes
    /// OpenSSL check that the point is on the curve.
    static let subjectPublicKeyInfoPrefix: [UInt8] = [
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
        0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04,
    ]

    /// `true` when the big-endian 32-byte `scalar` lies in [1, n - 1].
    static func isValidScalar(_ scalar: [UInt8]) -> Bool {
        guard scalar.count == coordinateByteCount, scalar.contains(where: { $0 != 0 }) else { return false }
        for (byte, limit) in zip(scalar, order) where byte != limit {
            return byte < limit
        }
        return false  // equal to n
    }

    /// ECDSA over P-256 with SHA-256 (FIPS 186-4; JOSE `ES256`, RFC 7518 §3.4).
    public enum Signing {
        /// How an ECDSA signature is encoded.
        public enum SignatureFormat: Sendable {
            /// 64 bytes: r and s as 32-byte big-endian integers (JOSE, RFC 7518 §3.4).
            case raw
            /// ASN.1 DER `ECDSA-Sig-Value` (RFC 3279 §2.2.3), as X.509 and TLS carry it.
            case der
        }
    }
}

extension P256.Signing {
    /// A P-256 ECDSA private key.
    public struct PrivateKey: Sendable {
        let key: EVPKey
        /// The matching public key, derived once at creation.
        public let publicKey: PublicKey

        /// A fresh key: a uniformly random scalar in [1, n - 1] (rejection sampling; a 32-byte
        /// draw is out of range with probability about 2^-32).
        public init() throws(CryptoError) {
            var scalar = SecureRandom.bytes(count: P256.coordinateByteCount)
            while !P256.isValidScalar(scalar) { scalar = SecureRandom.bytes(count: P256.coordinateByteCount) }
            try self.init(rawRepresentation: scalar)
        }

        /// A key from its 32-byte big-endian private scalar d (the JWK `d` member, RFC 7518 §6.2.2.1).
        public init(rawRepresentation: some Collection<UInt8>) throws(CryptoError) {
            let scalar = Array(rawRepresentation)
            guard scalar.count == P256.coordinateByteCount else {
                throw .invalidKeyLength(expected: P256.coordinateByteCount, actual: scalar.count)
            }
            guard P256.isValidScalar(scalar) else { throw .invalidKey(reason: "P-256 scalar out of range") }
            // PKCS#8 PrivateKeyInfo (RFC 5208 §5) around a SEC 1 ECPrivateKey (RFC 5915 §3) holding
            // only d; OpenSSL derives the public point when the optional publicKey is absent.
            let der: [UInt8] =
                [
                    0x30, 0x41, 0x02, 0x01, 0x00,
                    0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
                    0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07,
                    0x04, 0x27, 0x30, 0x25, 0x02, 0x01, 0x01, 0x04, 0x20,
                ] + scalar
            try self.init(key: EVPKey.fromPKCS8(der))
        }

        /// Imports an unencrypted PKCS#8 PEM document (as written by `pemRepresentation`).
        public init(pemRepresentation: String) throws(CryptoError) {
            try self.init(key: EVPKey.fromPKCS8PEM(pemRepresentation))
        }

        private init(key: EVPKey) throws(CryptoError) {
            guard key.baseID == EVP_PKEY_EC else { throw .wrongKeyType(expected: "P-256") }
            // The SPKI of the public half; its prefix names the curve, so this also refuses
            // other EC curves.
            let spki = try key.subjectPublicKeyInfo()
            guard spki.count == P256.subjectPublicKeyInfoPrefix.count + 2 * P256.coordinateByteCount,
                spki.starts(with: P256.subjectPublicKeyInfoPrefix)
            else { throw .wrongKeyType(expected: "P-256") }
            self.key = key
            self.publicKey = try PublicKey(spki: spki)
        }

        /// The 32-byte big-endian private scalar. Secret: only for storage and tests.
        public var rawRepresentation: [UInt8] {
            get throws(CryptoError) {
                var number: OpaquePointer?
                guard EVP_PKEY_get_bn_param(key.pointer, "priv", &number) == 1, let number else {
                    throw CryptoError.openSSL("EVP_PKEY_get_bn_param(priv)")
                }
                defer { BN_clear_free(number) }
                var scalar = [UInt8](repeating: 0, count: P256.coordinateByteCount)
                guard BN_bn2binpad(number, &scalar, Int32(scalar.count)) == Int32(scalar.count) else {
                    throw CryptoError.openSSL("BN_bn2binpad")
                }
                return scalar
            }
        }

        /// The key as an unencrypted PKCS#8 PEM document (RFC 5915 inside RFC 5208), for key storage.
        public var pemRepresentation: String {
            get throws(CryptoError) { try key.pkcs8PEM() }
        }

        /// An ECDSA signature of SHA-256(`message`), as 64 bytes r‖s (JOSE form) by default.
        public func signature(for message: [UInt8], format: SignatureFormat = .raw) throws(CryptoError) -> [UInt8] {
            let der = try key.sign(message, digest: SHA256.algorithm)
            switch format {
            case .der: return der
            case .raw:
                guard let raw = ECDSASignature.raw(fromDER: der) else {
                    throw .openSSL(operation: "d2i_ECDSA_SIG", reason: "OpenSSL produced an unreadable signature")
                }
                return raw
            }
        }
    }

    /// A P-256 ECDSA public key; the point is checked to lie on the curve at creation.
    public struct PublicKey: Sendable, Equatable {
        let key: EVPKey
        /// The affine x coordinate, 32 bytes big-endian (the JWK `x` member, RFC 7518 §6.2.1.2).
        public let x: [UInt8]
        /// The affine y coordinate, 32 bytes big-endian (the JWK `y` member, RFC 7518 §6.2.1.3).
        public let y: [UInt8]

        /// A key from its affine coordinates; `invalidKey` when the point is not on the curve.
        public init(x: some Collection<UInt8>, y: some Collection<UInt8>) throws(CryptoError) {
            let x = Array(x)
            let y = Array(y)
            guard x.count == P256.coordinateByteCount else {
                throw .invalidKeyLength(expected: P256.coordinateByteCount, actual: x.count)
            }
            guard y.count == P256.coordinateByteCount else {
                throw .invalidKeyLength(expected: P256.coordinateByteCount, actual: y.count)
            }
            try self.init(spki: P256.subjectPublicKeyInfoPrefix + x + y)
        }

        /// A key from x‖y (64 bytes), CryptoKit's raw representation.
        public init(rawRepresentation: some Collection<UInt8>) throws(CryptoError) {
            let raw = Array(rawRepresentation)
            guard raw.count == 2 * P256.coordinateByteCount else {
                throw .invalidKeyLength(expected: 2 * P256.coordinateByteCount, actual: raw.count)
            }
            try self.init(x: raw[..<32], y: raw[32...])
        }

        /// A key from a DER SubjectPublicKeyInfo (RFC 5480); only P-256 uncompressed points.
        public init(derRepresentation: some Collection<UInt8>) throws(CryptoError) {
            try self.init(spki: Array(derRepresentation))
        }

        init(spki: [UInt8]) throws(CryptoError) {
            let prefixCount = P256.subjectPublicKeyInfoPrefix.count
            guard spki.count == prefixCount + 2 * P256.coordinateByteCount,
                spki.starts(with: P256.subjectPublicKeyInfoPrefix)
            else { throw .invalidKey(reason: "not a P-256 SubjectPublicKeyInfo with an uncompressed point") }
            self.key = try EVPKey.fromSubjectPublicKeyInfo(spki)
            self.x = Array(spki[prefixCount..<(prefixCount + 32)])
            self.y = Array(spki[(prefixCount + 32)...])
        }

        /// x‖y, 64 bytes.
        public var rawRepresentation: [UInt8] { x + y }

        /// 0x04‖x‖y, the SEC 1 §2.3.3 uncompressed point (65 bytes).
        public var x963Representation: [UInt8] { [0x04] + x + y }

        /// The DER SubjectPublicKeyInfo (RFC 5480).
        public var derRepresentation: [UInt8] { P256.subjectPublicKeyInfoPrefix + x + y }

        /// `true` for a valid signature of SHA-256(`message`) in either encoding: 64 bytes are read
        /// as r‖s, anything else as DER. Use `isValidSignature(_:for:format:)` where the wire
        /// format is fixed (JWS requires `.raw`).
        public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
            if signature.count == 2 * P256.coordinateByteCount {
                return isValidSignature(signature, for: message, format: .raw)
            }
            return isValidSignature(signature, for: message, format: .der)
        }

        /// `true` for a valid signature of SHA-256(`message`) in exactly the given encoding.
        /// Raw signatures of any length but 64 bytes are refused (RFC 7518 §3.4).
        public func isValidSignature(_ signature: [UInt8], for message: [UInt8], format: SignatureFormat) -> Bool {
            switch format {
            case .raw:
                guard let der = ECDSASignature.der(fromRaw: signature) else { return false }
                return key.verify(signature: der, message: message, digest: SHA256.algorithm)
            case .der:
                // OpenSSL re-encodes the parsed signature and refuses input that is not the
                // identical DER, so BER variants and trailing bytes fail here.
                return key.verify(signature: signature, message: message, digest: SHA256.algorithm)
            }
        }

        public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
            lhs.x == rhs.x && lhs.y == rhs.y
        }
    }
}
