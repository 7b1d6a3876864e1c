import CBenchShims
import MissionCore

/// A load thread's OpenSSL contexts, made once instead of per request: per agent an Ed25519 signing context
/// initialised with its key, and one SHA-256 context over a digest fetched once. `Ed25519.PrivateKey.signature(for:)`
/// runs EVP_DigestSignInit on every call, which looks the algorithm up in OpenSSL's provider store (a lock and
/// name comparisons); copying an initialised context does not. The signatures are the same bytes (Ed25519 is
/// deterministic, RFC 8032 §5.1.6), which the startup self-check confirms.
///
/// Owned by one load thread and used only there: the contexts are mutable OpenSSL state.
final class LoadSigner {
    /// Per agent, in the order of the list the signer was made from: the key and a context initialised with it.
    private var keys: [OpaquePointer] = []
    private var templates: [OpaquePointer] = []
    /// The context each signature runs in (a copy of the agent's template).
    private let work: OpaquePointer
    private let sha256: OpaquePointer
    private let hasher: OpaquePointer

    /// The last signature made (64 bytes, RFC 8032 §5.1.6).
    private(set) var signature = [UInt8](repeating: 0, count: Ed25519.signatureByteCount)
    /// The last digest made (32 bytes).
    private(set) var digest = [UInt8](repeating: 0, count: SHA256.byteCount)

    /// Signing contexts for `agents`' keys; `sign(_:agent:)` takes an agent's position in this list.
    init(agents: [LoadAgent]) throws(BenchError) {
        // These fail only when memory is exhausted or the OpenSSL installation lacks its default provider.
        guard let work = EVP_MD_CTX_new(), let hasher = EVP_MD_CTX_new() else {
            throw .load("EVP_MD_CTX_new failed")
        }
        guard let sha256 = EVP_MD_fetch(nil, "SHA2-256", nil) else {
            EVP_MD_CTX_free(work)
            EVP_MD_CTX_free(hasher)
            throw .load("EVP_MD_fetch(SHA2-256) failed")
        }
        (self.work, self.hasher, self.sha256) = (work, hasher, sha256)
        for agent in agents { try add(agent.key) }
    }

    deinit {
        for template in templates { EVP_MD_CTX_free(template) }
        for key in keys { EVP_PKEY_free(key) }
        EVP_MD_CTX_free(work)
        EVP_MD_CTX_free(hasher)
        EVP_MD_free(sha256)
    }

    private func add(_ key: Ed25519.PrivateKey) throws(BenchError) {
        let seed: [UInt8]
        do { seed = try key.rawRepresentation } catch { throw .load("an agent key: \(error)") }
        guard let pointer = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, seed, seed.count) else {
            throw .load("EVP_PKEY_new_raw_private_key failed")
        }
        keys.append(pointer)
        guard let template = EVP_MD_CTX_new() else { throw .load("EVP_MD_CTX_new failed") }
        templates.append(template)
        // PureEdDSA: no digest (RFC 8032 §5.1); the key's own algorithm is fetched here, once.
        guard EVP_DigestSignInit(template, nil, nil, nil, pointer) == 1 else {
            throw .load("EVP_DigestSignInit failed")
        }
    }

    /// Signs `message` with the key of agent number `agent`; the result is in `signature`.
    func sign(_ message: [UInt8], agent: Int) throws(BenchError) {
        // EVP_MD_CTX_copy_ex: "can be used to copy the message digest state from in to out", the key and the
        // signature operation included, so the copy is ready for EVP_DigestSign.
        guard EVP_MD_CTX_copy_ex(work, templates[agent]) == 1 else { throw .load("EVP_MD_CTX_copy_ex failed") }
        var length = signature.count
        let status = message.withUnsafeBufferPointer { input in
            signature.withUnsafeMutableBufferPointer { output in
                EVP_DigestSign(work, output.baseAddress, &length, input.baseAddress, input.count)
            }
        }
        guard status == 1, length == Ed25519.signatureByteCount else { throw .load("EVP_DigestSign failed") }
    }

    /// The SHA-256 of `bytes` (FIPS 180-4); the result is in `digest`.
    func hash(_ bytes: [UInt8]) throws(BenchError) {
        var length: UInt32 = 0
        let status = bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_DigestInit_ex2(hasher, sha256, nil) == 1
                    && EVP_DigestUpdate(hasher, input.baseAddress, input.count) == 1
                    && EVP_DigestFinal_ex(hasher, output.baseAddress, &length) == 1
            }
        }
        guard status, length == SHA256.byteCount else { throw .load("SHA-256 failed") }
    }
}
