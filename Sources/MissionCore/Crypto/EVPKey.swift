import COpenSSL
import Foundation

/// The one owner of an OpenSSL `EVP_PKEY`.
///
/// `@unchecked Sendable` is safe: the key is never mutated after `init` (no setter reaches the
/// handle), and OpenSSL 3 permits concurrent signing and verification with one `EVP_PKEY` as long
/// as every operation uses its own context. Each operation holds its `EVP_MD_CTX` alone: either
/// fresh and freed before returning, or (Ed25519) taken from one of the key's `EVPContextPool`s
/// and given back only after use. OpenSSL guards its internal per-key provider cache with the
/// key's own lock.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Ed25519 signing contexts initialised with this key. The MA signs every token with one key,
    /// from every event loop at once.
    ///
    /// OpenSSL 3.0 lets an initialised context sign again; later releases mark it finalised after
    /// a one-shot `EVP_DigestSign` and refuse the next call (`EVP_R_FINAL_ERROR`): that first
    /// refusal turns reuse off for this key (`signReuseRefused`), and every signature then gets a
    /// fresh context as before.
    private let signContexts = EVPContextPool(capacity: 16)
    private var signReuseRefused = false
    private let signReuseLock = NSLock()
    /// Ed25519 verification contexts initialised with this key. An agent's key verifies each of
    /// its requests, and an agent rarely has more than one in flight; the authenticator keeps up
    /// to `cacheCapacity` keys, so each keeps little.
    private let verifyContexts = EVPContextPool(capacity: 2)

    /// Takes ownership of `pointer`; it is freed in `deinit`.
    init(owning pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// OpenSSL's key type (`EVP_PKEY_ED25519`, `EVP_PKEY_EC`, …).
    var baseID: Int32 { EVP_PKEY_get_base_id(pointer) }

    /// A one-shot signature. `digest` is `nil` for Ed25519 (RFC 8032 PureEdDSA hashes internally)
    /// and SHA-256 for ECDSA, whose output is then DER (RFC 3279 §2.2.3).
    func sign(_ message: [UInt8], digest: OpaquePointer?) throws(CryptoError) -> [UInt8] {
        if digest == nil, baseID == EVP_PKEY_ED25519, let signature = ed25519SignatureReusingContext(message) {
            return signature
        }
        guard let context = EVP_MD_CTX_new() else { throw CryptoError.openSSL("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, digest, nil, pointer) == 1 else {
            throw CryptoError.openSSL("EVP_DigestSignInit")
        }
        // Ed25519 signatures are 64 bytes; a DER ECDSA P-256 signature is at most 72.
        var signature = [UInt8](repeating: 0, count: 80)
        var length = signature.count
        let status = message.withUnsafeBufferPointer { buffer in
            EVP_DigestSign(context, &signature, &length, buffer.baseAddress, buffer.count)
        }
        guard status == 1 else { throw CryptoError.openSSL("EVP_DigestSign") }
        signature.removeSubrange(length...)
        return signature
    }

    /// An Ed25519 signature made with an idle initialised context (or a new one that is kept
    /// afterwards); `nil` when that fails, and the caller then signs with a fresh context, which
    /// also reports a genuine failure with its error.
    private func ed25519SignatureReusingContext(_ message: [UInt8]) -> [UInt8]? {
        if signReuseLock.withLock({ signReuseRefused }) { return nil }
        let cached = signContexts.take()
        guard let context = cached ?? newContext(verifying: false) else { return nil }
        var signature = [UInt8](repeating: 0, count: Ed25519.signatureByteCount)
        var length = signature.count
        let status = message.withUnsafeBufferPointer { buffer in
            EVP_DigestSign(context, &signature, &length, buffer.baseAddress, buffer.count)
        }
        guard status == 1, length == Ed25519.signatureByteCount else {
            EVP_MD_CTX_free(context)
            ERR_clear_error()
            // A context that signed once before and now fails: this OpenSSL does not allow reuse.
            if cached != nil { signReuseLock.withLock { signReuseRefused = true } }
            return nil
        }
        signContexts.give(context)
        return signature
    }

    /// A context initialised with this key for a one-shot Ed25519 operation, or `nil` (error queue
    /// cleared) when OpenSSL refuses.
    private func newContext(verifying: Bool) -> OpaquePointer? {
        guard let context = EVP_MD_CTX_new() else {
            ERR_clear_error()
            return nil
        }
        let status =
            verifying
            ? EVP_DigestVerifyInit(context, nil, nil, nil, pointer)
            : EVP_DigestSignInit(context, nil, nil, nil, pointer)
        guard status == 1 else {
            EVP_MD_CTX_free(context)
            ERR_clear_error()
            return nil
        }
        return context
    }

    /// `true` only when `signature` verifies over `message`. Every failure, including malformed
    /// signatures, is `false`; the error queue is cleared so it cannot leak into later calls.
    func verify(signature: [UInt8], message: [UInt8], digest: OpaquePointer?) -> Bool {
        if digest == nil, Self.ed25519VerifyContextsAreReusable, baseID == EVP_PKEY_ED25519 {
            return ed25519VerifyReusingContext(signature: signature, message: message)
        }
        guard let context = EVP_MD_CTX_new() else { ERR_clear_error(); return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, digest, nil, pointer) == 1 else {
            ERR_clear_error()
            return false
        }
        let status = Self.digestVerify(context, signature: signature, message: message)
        if status != 1 { ERR_clear_error() }
        return status == 1
    }

    /// An Ed25519 verification with an idle initialised context, or a new one that is kept when
    /// the signature verifies. A context whose verification failed is freed, not reused.
    private func ed25519VerifyReusingContext(signature: [UInt8], message: [UInt8]) -> Bool {
        guard let context = verifyContexts.take() ?? newContext(verifying: true) else { return false }
        let status = Self.digestVerify(context, signature: signature, message: message)
        guard status == 1 else {
            EVP_MD_CTX_free(context)
            ERR_clear_error()
            return false
        }
        verifyContexts.give(context)
        return true
    }

    /// EVP_DigestVerify: "returns 1 for a successful verification and 0 for a failure ... other
    /// values indicate a more serious error"; callers count only 1.
    private static func digestVerify(_ context: OpaquePointer, signature: [UInt8], message: [UInt8]) -> Int32 {
        message.withUnsafeBufferPointer { messageBuffer in
            signature.withUnsafeBufferPointer { signatureBuffer in
                EVP_DigestVerify(
                    context, signatureBuffer.baseAddress, signatureBuffer.count,
                    messageBuffer.baseAddress, messageBuffer.count)
            }
        }
    }

    /// Whether this OpenSSL verifies Ed25519 signatures correctly with a context used before.
    ///
    /// Decided once per process, before any agent's signature depends on it, with RFC 8032 §7.1
    /// TEST 2 and one context: the valid signature, the same signature with a flipped bit, and the
    /// valid one again must give 1, not 1, 1. OpenSSL 3.0 keeps no state between one-shot
    /// verifications; a release that refuses a finalised context, or any other surprise, turns
    /// reuse off, and every verification then gets a fresh context. Deciding it up front, instead
    /// of retrying a failed verification with a fresh context, keeps an invalid signature at the
    /// cost of one verification.
    static let ed25519VerifyContextsAreReusable: Bool = {
        let publicKey: [UInt8] = [
            0x3d, 0x40, 0x17, 0xc3, 0xe8, 0x43, 0x89, 0x5a, 0x92, 0xb7, 0x0a, 0xa7, 0x4d, 0x1b, 0x7e, 0xbc,
            0x9c, 0x98, 0x2c, 0xcf, 0x2e, 0xc4, 0x96, 0x8c, 0xc0, 0xcd, 0x55, 0xf1, 0x2a, 0xf4, 0x66, 0x0c,
        ]
        let message: [UInt8] = [0x72]
        let signature: [UInt8] = [
            0x92, 0xa0, 0x09, 0xa9, 0xf0, 0xd4, 0xca, 0xb8, 0x72, 0x0e, 0x82, 0x0b, 0x5f, 0x64, 0x25, 0x40,
            0xa2, 0xb2, 0x7b, 0x54, 0x16, 0x50, 0x3f, 0x8f, 0xb3, 0x76, 0x22, 0x23, 0xeb, 0xdb, 0x69, 0xda,
            0x08, 0x5a, 0xc1, 0xe4, 0x3e, 0x15, 0x99, 0x6e, 0x45, 0x8f, 0x36, 0x13, 0xd0, 0xf1, 0x1d, 0x8c,
            0x38, 0x7b, 0x2e, 0xae, 0xb4, 0x30, 0x2a, 0xee, 0xb0, 0x0d, 0x29, 0x16, 0x12, 0xbb, 0x0c, 0x00,
        ]
        guard let pointer = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, publicKey, publicKey.count) else {
            ERR_clear_error()
            return false
        }
        let key = EVPKey(owning: pointer)
        guard let context = key.newContext(verifying: true) else { return false }
        defer { EVP_MD_CTX_free(context) }
        var tampered = signature
        tampered[10] ^= 0x01
        let answers = [signature, tampered, signature].map { digestVerify(context, signature: $0, message: message) }
        ERR_clear_error()
        return answers == [1, 0, 1]
    }()

    /// The DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) of the key.
    func subjectPublicKeyInfo() throws(CryptoError) -> [UInt8] {
        let length = i2d_PUBKEY(pointer, nil)
        guard length > 0 else { throw CryptoError.openSSL("i2d_PUBKEY") }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_PUBKEY(pointer, &cursor)
        }
        guard written == length else { throw CryptoError.openSSL("i2d_PUBKEY") }
        return der
    }

    /// Imports a DER SubjectPublicKeyInfo. OpenSSL checks the encoding, and for EC keys that the
    /// point lies on the named curve.
    static func fromSubjectPublicKeyInfo(_ der: [UInt8]) throws(CryptoError) -> EVPKey {
        let key: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let key else { throw CryptoError.invalidKeyFromOpenSSL() }
        return EVPKey(owning: key)
    }

    /// Imports an unencrypted DER PKCS#8 PrivateKeyInfo (RFC 5208 §5).
    static func fromPKCS8(_ der: [UInt8]) throws(CryptoError) -> EVPKey {
        let key: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_AutoPrivateKey(nil, &cursor, buffer.count)
        }
        guard let key else { throw CryptoError.invalidKeyFromOpenSSL() }
        return EVPKey(owning: key)
    }

    /// The private key as an unencrypted PKCS#8 PEM document (`-----BEGIN PRIVATE KEY-----`).
    func pkcs8PEM() throws(CryptoError) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw CryptoError.openSSL("BIO_new") }
        defer { BIO_free(bio) }
        // PEM_write_bio_PrivateKey "write[s] a private key ... using PKCS#8 private key format".
        guard PEM_write_bio_PrivateKey(bio, pointer, nil, nil, 0, nil, nil) == 1 else {
            throw CryptoError.openSSL("PEM_write_bio_PrivateKey")
        }
        let pending = Int(BIO_ctrl_pending(bio))
        var bytes = [UInt8](repeating: 0, count: pending)
        let read = BIO_read(bio, &bytes, Int32(pending))
        guard read == pending else { throw CryptoError.openSSL("BIO_read") }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Imports an unencrypted PKCS#8 PEM private key. Encrypted or legacy (`BEGIN EC PRIVATE KEY`)
    /// documents are refused: storage always writes plain PKCS#8.
    static func fromPKCS8PEM(_ pem: String) throws(CryptoError) -> EVPKey {
        let bytes = Array(pem.utf8)
        guard pem.contains("-----BEGIN PRIVATE KEY-----") else {
            throw CryptoError.invalidKey(reason: "not an unencrypted PKCS#8 PEM private key")
        }
        let key: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            // A password callback that always fails: without one OpenSSL would prompt on the
            // terminal for an encrypted key.
            return PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil)
        }
        guard let key else { throw CryptoError.invalidKeyFromOpenSSL() }
        return EVPKey(owning: key)
    }
}
