import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The MA's base URL as the agent and admin helpers use it: `http://host[:port]`, nothing after the authority.
///
/// HTTPKit's client speaks plain HTTP/1.1 only, so `https://` is refused with a hint (reach a TLS-fronted MA
/// through a tunnel, or use curl for admin calls); a host name is resolved here because the client connects to
/// address literals.
struct ServerURL: Equatable, Sendable {
    /// The name or address literal as written (brackets removed from IPv6).
    let host: String
    let port: Int
    /// `Host` header value and signed `@authority`: host, plus `:port` unless it is 80 (RFC 9421 §2.2.3).
    let authority: String

    init(parsing text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { throw CLIError.invalidURL(text, reason: "expected http://host[:port]") }
        guard scheme == "http" else {
            throw CLIError.invalidURL(
                text, reason: "only http:// is supported by this helper (reach an https MA through a local tunnel)")
        }
        guard components.user == nil, components.password == nil, components.query == nil, components.fragment == nil,
            components.path.isEmpty || components.path == "/"
        else { throw CLIError.invalidURL(text, reason: "give the server's origin only, without path or query") }
        let port = components.port ?? 80
        guard (1...65_535).contains(port) else { throw CLIError.invalidURL(text, reason: "port out of range") }
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        self.host = bare
        self.port = port
        let shown = bare.contains(":") ? "[\(bare)]" : bare.lowercased()
        authority = port == 80 ? shown : "\(shown):\(port)"
    }

    /// An address literal to connect to: the host itself when it is one, else its first address from the resolver.
    func addressLiteral() throws -> String {
        if host == "localhost" { return "127.0.0.1" }
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1 { return host }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            throw CLIError.transport("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch first.pointee.ai_family {
        case AF_INET:
            var address = first.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                $0.pointee.sin_addr
            }
            inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
        case AF_INET6:
            var address = first.pointee.ai_addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                $0.pointee.sin6_addr
            }
            inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
        default:
            throw CLIError.transport("cannot resolve \(host): no IPv4 or IPv6 address")
        }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The path (and query) a server-relative or absolute URL names on this server, e.g. a pending URL from a
    /// `Location` header; an absolute URL must name this server.
    func target(of reference: String) throws -> String {
        if reference.hasPrefix("/") { return reference }
        guard let components = URLComponents(string: reference),
            let other = try? ServerURL(parsing: reference.originPart)
        else { throw CLIError.invalidURL(reference, reason: "expected /path or http://host:port/path") }
        guard other.authority == authority else {
            throw CLIError.invalidURL(reference, reason: "names another server than \(authority)")
        }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        return path + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    }
}

extension String {
    /// `scheme://authority` of an absolute URL (everything before the path).
    fileprivate var originPart: String {
        guard let schemeEnd = range(of: "://") else { return self }
        let rest = self[schemeEnd.upperBound...]
        let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        return String(self[..<end])
    }
}
