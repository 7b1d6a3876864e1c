import COpenSSL

/// Errors from the crypto layer. OpenSSL's reason text is captured at the failing call, before
/// anything else can touch the thread's error queue.
public enum CryptoError: Error, Equatable, Sendable {
    /// Key bytes of the wrong length or shape (for example a 31-byte Ed25519 key).
    case invalidKeyLength(expected: Int, actual: Int)
    /// OpenSSL refused the key material (a point not on the curve, a malformed DER or PEM).
    case invalidKey(reason: String)
    /// A PEM document that does not hold a private key of the requested type.
    case wrongKeyType(expected: String)
    /// Any other OpenSSL failure: the operation we attempted and OpenSSL's own error text.
    case openSSL(operation: String, reason: String)

    /// Drains the calling thread's OpenSSL error queue and returns its first entry as text.
    /// The queue is per thread; draining it keeps a stale entry from being reported later by
    /// an unrelated call on the same thread.
    static func drainOpenSSLErrors() -> String {
        let first = ERR_get_error()
        ERR_clear_error()
        guard first != 0 else { return "no OpenSSL error recorded" }
        var buffer = [CChar](repeating: 0, count: 256)
        // ERR_error_string_n: "writes a human-readable string ... at most len characters
        // including the terminating 0".
        ERR_error_string_n(first, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// An `.openSSL` error for `operation` with the current OpenSSL error text.
    static func openSSL(_ operation: String) -> CryptoError {
        .openSSL(operation: operation, reason: drainOpenSSLErrors())
    }

    /// An `.invalidKey` error with the current OpenSSL error text.
    static func invalidKeyFromOpenSSL() -> CryptoError {
        .invalidKey(reason: drainOpenSSLErrors())
    }
}
