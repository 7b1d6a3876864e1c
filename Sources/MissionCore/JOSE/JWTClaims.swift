import Foundation

/// The claims of a JWT (RFC 7519 §4). Typed accessors return `nil` for an absent claim and
/// throw `malformed` for a claim of the wrong JSON type, so a wrong type is never mistaken for
/// absence.
public struct JWTClaims: Sendable, Hashable {
    /// Every claim as parsed.
    public let members: [String: JSONValue]

    public init(_ members: [String: JSONValue]) {
        self.members = members
    }

    /// The raw claim.
    public subscript(name: String) -> JSONValue? { members[name] }

    /// A string claim.
    public func string(_ name: String) throws(JOSEError) -> String? {
        guard let value = members[name] else { return nil }
        guard let string = value.stringValue else { throw .malformed("claim \(name) is not a string") }
        return string
    }

    /// An integer claim (an integral JSON number).
    public func integer(_ name: String) throws(JOSEError) -> Int64? {
        guard let value = members[name] else { return nil }
        guard let integer = value.integerValue else { throw .malformed("claim \(name) is not an integer") }
        return integer
    }

    /// An object claim (for example `cnf`).
    public func object(_ name: String) throws(JOSEError) -> [String: JSONValue]? {
        guard let value = members[name] else { return nil }
        guard let object = value.objectValue else { throw .malformed("claim \(name) is not an object") }
        return object
    }

    /// A NumericDate claim (RFC 7519 §2: seconds since the epoch, fractions allowed).
    public func date(_ name: String) throws(JOSEError) -> Date? {
        guard let value = members[name] else { return nil }
        guard let seconds = value.doubleValue, seconds.isFinite else {
            throw .malformed("claim \(name) is not a NumericDate")
        }
        return Date(timeIntervalSince1970: seconds)
    }

    /// `iss` (RFC 7519 §4.1.1).
    public var issuer: String? { get throws(JOSEError) { try string("iss") } }
    /// `sub` (RFC 7519 §4.1.2).
    public var subject: String? { get throws(JOSEError) { try string("sub") } }
    /// `jti` (RFC 7519 §4.1.7).
    public var jwtID: String? { get throws(JOSEError) { try string("jti") } }
    /// `exp` (RFC 7519 §4.1.4).
    public var expiration: Date? { get throws(JOSEError) { try date("exp") } }
    /// `nbf` (RFC 7519 §4.1.5).
    public var notBefore: Date? { get throws(JOSEError) { try date("nbf") } }
    /// `iat` (RFC 7519 §4.1.6).
    public var issuedAt: Date? { get throws(JOSEError) { try date("iat") } }

    /// `aud` (RFC 7519 §4.1.3): a single string or an array of strings, returned as an array.
    public var audience: [String]? {
        get throws(JOSEError) {
            switch members["aud"] {
            case nil: return nil
            case .string(let single): return [single]
            case .array(let elements):
                var audiences = [String]()
                for element in elements {
                    guard let audience = element.stringValue else { throw .malformed("aud holds a non-string") }
                    audiences.append(audience)
                }
                return audiences
            default: throw .malformed("aud is neither a string nor an array")
            }
        }
    }

    /// `cnf.jwk` (RFC 7800 §3.2), parsed with `options`.
    public func confirmationKey(options: JWK.ParsingOptions = .aauthConveyedKey) throws(JOSEError) -> JWK? {
        guard let confirmation = try object("cnf") else { return nil }
        guard let jwk = confirmation["jwk"] else { return nil }
        return try JWK(json: jwk, options: options)
    }
}
