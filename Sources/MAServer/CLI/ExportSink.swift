import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where `audit export` writes: stdout, or a new file created 0600 with `O_EXCL` (an export is never written over
/// an existing file, which might be an earlier export someone relies on).
///
/// `@unchecked Sendable`: the descriptor is only written by the export's single scanning thread, and closed after it.
final class ExportSink: @unchecked Sendable {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// The path, for messages; `-` for stdout.
    let path: String

    init(descriptor: Int32) {
        self.descriptor = descriptor
        ownsDescriptor = false
        path = "-"
    }

    init(creating path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIError.unwritableFile(path: path, reason: String(cString: strerror(errno))) }
        descriptor = fd
        ownsDescriptor = true
        self.path = path
    }

    /// Writes all of `bytes`, retrying short writes and EINTR.
    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CLIError.unwritableFile(path: path, reason: String(cString: strerror(errno)))
            }
            offset += n
        }
    }

    func close() {
        if ownsDescriptor { Glibc.close(descriptor) }
    }
}
