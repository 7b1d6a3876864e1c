import COpenSSL
import Foundation

/// The one owner of an OpenSSL `EVP_PKEY`.
///
/// `@unchecked Sendable` is safe: the key is never mutated after `init` (no setter reaches the
/// handle), and OpenSSL 3 permits concurrent signing and verification with one `EVP_PKEY` as long
/// as every operation uses its own context. Each operation holds its `EVP_MD_CTX` alone: either
/// fresh and freed before returning, or (Ed25519 signing) taken from `idleContexts` under
/// `contextLock` and put back only after use. OpenSSL guards its internal per-key provider cache
/// with the key's own lock.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Ed25519 signing contexts already initialised with this key, idle, for reuse.
    ///
    /// `EVP_DigestSignInit` fetches the signature algorithm from the provider store and builds a
    /// provider context on every call (≈ 3 µs on the reference machine, beside ≈ 45 µs of
    /// signing); the MA signs every token with one key. Ed25519 is one-shot (PureEdDSA keeps
    /// no digest state between calls), and OpenSSL 3.0 lets an initialised context sign again.
    /// Later releases mark the context finalised after a one-shot `EVP_DigestSign` and refuse
    /// the next call (`EVP_R_FINAL_ERROR`): that first refusal turns reuse off for this key
    /// (`reuseRefused`), and every signature then gets a fresh context as before. An idle context
    /// is used by nobody: whoever pops it under `contextLock` is its only user until it is pushed
    /// back. (`NSLock`, like the rest of the package's locks: ThreadSanitizer follows it.)
    private var idleContexts: [OpaquePointer] = []
    private var reuseRefused = false
    private let contextLock = NSLock()
    /// More idle contexts than signing threads would only hold memory.
    private static let maxIdleContexts = 16

    /// Takes ownership of `pointer`; it is freed in `deinit`.
    init(owning pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        for context in idleContexts { EVP_MD_CTX_free(context) }
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
        let (refused, cached) = contextLock.withLock { (reuseRefused, idleContexts.popLast()) }
        if refused { return nil }
        let context: OpaquePointer
        if let cached {
            context = cached
        } else {
            guard let fresh = EVP_MD_CTX_new() else { return nil }
            guard EVP_DigestSignInit(fresh, nil, nil, nil, pointer) == 1 else {
                EVP_MD_CTX_free(fresh)
                ERR_clear_error()
                return nil
            }
            context = fresh
        }
        var signature = [UInt8](repeating: 0, count: Ed25519.signatureByteCount)
        var length = signature.count
        let status = message.withUnsafeBufferPointer { buffer in
            EVP_DigestSign(context, &signature, &length, buffer.baseAddress, buffer.count)
        }
        guard status == 1, length == Ed25519.signatureByteCount else {
            EVP_MD_CTX_free(context)
            ERR_clear_error()
            // A context that signed once before and now fails: this OpenSSL does not allow reuse.
            if cached != nil { contextLock.withLock { reuseRefused = true } }
            return nil
        }
        let kept = contextLock.withLock { () -> Bool in
            guard idleContexts.count < Self.maxIdleContexts else { return false }
            idleContexts.append(context)
            return true
        }
        if !kept { EVP_MD_CTX_free(context) }
        return signature
    }

    /// `true` only when `signature` verifies over `message`. Every failure, including malformed
    /// signatures, is `false`; the error queue is cleared so it cannot leak into later calls.
    func verify(signature: [UInt8], message: [UInt8], digest: OpaquePointer?) -> Bool {
        guard let context = EVP_MD_CTX_new() else { ERR_clear_error(); return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, digest, nil, pointer) == 1 else {
            ERR_clear_error()
            return false
        }
        // EVP_DigestVerify: "returns 1 for a successful verification and 0 for a failure ...
        // other values indicate a more serious error"; only 1 counts.
        let status = message.withUnsafeBufferPointer { messageBuffer in
            signature.withUnsafeBufferPointer { signatureBuffer in
                EVP_DigestVerify(
                    context, signatureBuffer.baseAddress, signatureBuffer.count,
                    messageBuffer.baseAddress, messageBuffer.count)
            }
        }
        if status != 1 { ERR_clear_error() }
        return status == 1
    }

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
