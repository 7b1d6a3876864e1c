import COpenSSL
import Foundation

/// OpenSSL CSPRNG output drawn a block at a time and handed out in order, each byte once.
///
/// One `RAND_bytes` call costs a few microseconds however few bytes it returns: OpenSSL 3.0 takes
/// the DRBG's lock and runs its generate step per call. A token grant needs 16 bytes (its `jti`),
/// and the profile of the grant load showed `RAND_bytes` at 1.3 % of the server's CPU, half of it
/// in that lock. Drawing `blockSize` bytes per call makes an identifier a copy.
///
/// For identifiers only (`RandomSource.identifierBytes`); key material and secrets come straight
/// from `SecureRandom`. Bytes are zeroed in the block as they are handed out, so the pool never
/// holds an identifier that is already in use.
final class RandomPool: @unchecked Sendable {
    // `@unchecked Sendable`: `block` and `next` are only touched under `lock`.
    static let shared = RandomPool()

    /// The most bytes one call takes from the pool; larger requests go to `SecureRandom` directly.
    static let largestDraw = 64

    private let lock = NSLock()
    private var block: [UInt8]
    private var next: Int

    init(blockSize: Int = 4096) {
        precondition(blockSize >= Self.largestDraw, "the block must hold the largest draw")
        block = [UInt8](repeating: 0, count: blockSize)
        next = blockSize  // drawn on first use, not at startup
    }

    /// `count` random bytes that no other call has returned.
    func bytes(count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        guard count <= Self.largestDraw else { return SecureRandom.bytes(count: count) }
        return lock.withLock {
            if next + count > block.count {
                let drawn = block.withUnsafeMutableBytes { RAND_bytes($0.baseAddress, Int32($0.count)) }
                precondition(drawn == 1, "RAND_bytes failed: CSPRNG unavailable")
                next = 0
            }
            let range = next..<next + count
            next += count
            let drawn = Array(block[range])
            block.replaceSubrange(range, with: repeatElement(0, count: count))
            return drawn
        }
    }
}
