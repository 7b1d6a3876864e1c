import Foundation

/// Writes diagnostics to standard error (the benchmark servers print nothing else).
public enum StandardError {
    /// Writes `message` and a newline.
    public static func write(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
