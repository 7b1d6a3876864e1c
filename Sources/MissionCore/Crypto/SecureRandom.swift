import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's CSPRNG.
public enum SecureRandom {
    /// `count` random bytes. OpenSSL's DRBG only fails when it cannot be seeded, in which case
    /// no secret may be produced at all, so that is treated as fatal.
    public static func bytes(count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return bytes }
        precondition(RAND_bytes(&bytes, Int32(count)) == 1, "RAND_bytes failed: CSPRNG unavailable")
        return bytes
    }
}
