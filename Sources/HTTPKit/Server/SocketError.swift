/// A failure of a socket system call, with `errno` captured at once.
public enum SocketError: Error, Equatable, Sendable {
    /// The configured host is not an IPv4/IPv6 literal or `localhost`.
    case invalidAddress(String)
    /// A configuration value is out of range (named in the message).
    case invalidConfiguration(String)
    /// `start()` was called twice, or after shutdown.
    case alreadyStarted
    /// The named system call failed with `errno`.
    case system(call: String, errno: Int32)
    /// The peer closed the connection before a complete response arrived (client side).
    case connectionClosed
    /// The peer sent a response that is not valid HTTP/1.1 (client side).
    case invalidResponse(String)
}
