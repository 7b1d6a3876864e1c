#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address and what kind of destination it is, for egress admission.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// What an address reaches (RFC 6890 special-purpose registries).
    public enum Classification: String, Sendable {
        /// A global unicast address: the only kind fetched by default.
        case publicUnicast = "public"
        /// `0.0.0.0/8`, `::`.
        case unspecified
        /// `127.0.0.0/8`, `::1`.
        case loopback
        /// RFC 1918, RFC 6598 shared space, IPv6 unique local `fc00::/7` and deprecated site-local `fec0::/10`.
        case privateUse = "private"
        /// `169.254.0.0/16`, `fe80::/10`.
        case linkLocal = "link-local"
        /// `224.0.0.0/4`, `ff00::/8`.
        case multicast
        /// Documentation, benchmarking, IETF protocol assignments, `240.0.0.0/4` and broadcast, and deprecated
        /// IPv4-compatible IPv6 addresses.
        case reserved
    }

    /// 4 bytes (IPv4) or 16 bytes (IPv6), network order.
    public let bytes: [UInt8]

    /// Parses a literal: dotted-quad IPv4 or RFC 4291 IPv6 text (no brackets, no zone), via `inet_pton`, which
    /// refuses shortened or octal IPv4 forms that other parsers read differently.
    public init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    /// Wraps raw bytes (4 or 16), e.g. from `getaddrinfo`.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool { bytes.count == 4 }

    /// What the address reaches. IPv4-mapped (`::ffff:0:0/96`) and NAT64 (`64:ff9b::/96`) addresses are classified
    /// by the IPv4 address they carry, so `::ffff:127.0.0.1` is loopback.
    public var classification: Classification {
        isIPv4 ? Self.classifyIPv4(bytes) : Self.classifyIPv6(bytes)
    }

    private static func classifyIPv4(_ b: [UInt8]) -> Classification {
        switch (b[0], b[1], b[2]) {
        case (0, _, _): return .unspecified
        case (127, _, _): return .loopback
        case (10, _, _), (172, 16...31, _), (192, 168, _), (100, 64...127, _): return .privateUse
        case (169, 254, _): return .linkLocal
        case (224...239, _, _): return .multicast
        case (240...255, _, _), (192, 0, 0), (192, 0, 2), (198, 18...19, _), (198, 51, 100), (203, 0, 113):
            return .reserved
        default: return .publicUnicast
        }
    }

    private static func classifyIPv6(_ b: [UInt8]) -> Classification {
        let prefix96IsZero = b[0..<10].allSatisfy { $0 == 0 }
        if prefix96IsZero && b[10] == 0xFF && b[11] == 0xFF { return classifyIPv4(Array(b[12..<16])) }
        if b[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] { return classifyIPv4(Array(b[12..<16])) }
        if b.allSatisfy({ $0 == 0 }) { return .unspecified }
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return .loopback }
        if prefix96IsZero && b[10] == 0 && b[11] == 0 { return .reserved }  // IPv4-compatible (RFC 4291 §2.5.5.1)
        if b[0] == 0xFF { return .multicast }
        if b[0] == 0xFE && (b[1] & 0xC0) == 0x80 { return .linkLocal }
        if b[0] == 0xFE && (b[1] & 0xC0) == 0xC0 { return .privateUse }
        if (b[0] & 0xFE) == 0xFC { return .privateUse }
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8 { return .reserved }  // documentation
        return .publicUnicast
    }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        let family = isIPv4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
