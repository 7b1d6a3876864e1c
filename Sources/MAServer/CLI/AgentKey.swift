import Foundation
import MissionCore

#if canImport(Glibc)
    import Glibc
#endif

/// An agent's Ed25519 key pair, kept as a PKCS#8 PEM file readable only by its owner.
struct AgentKey: Sendable {
    let privateKey: Ed25519.PrivateKey

    /// The public JWK (`kty`, `crv`, `x`, `alg`), as an admin registers it.
    var publicJWK: JWK { JWK(publicKey: privateKey.publicKey, use: nil) }

    /// The public JWK's members, for a JSON request body.
    var publicJWKMembers: [String: String] {
        let jwk = publicJWK
        return [
            "kty": jwk.keyType.rawValue, "crv": jwk.curve.rawValue, "x": Base64URL.encode(jwk.x),
            "alg": JWSAlgorithm.ed25519.rawValue,
        ]
    }

    /// The identity an `hwk` request gets: `urn:jkt:sha-256:<RFC 7638 thumbprint>`.
    var agentID: String { publicJWK.thumbprintURI() }

    static func generate() throws -> AgentKey {
        do { return AgentKey(privateKey: try Ed25519.PrivateKey()) } catch {
            throw CLIError.invalidArgument("cannot generate a key: \(error)")
        }
    }

    /// Reads a key written by `agent keygen` (or any Ed25519 PKCS#8 PEM).
    static func load(path: String) throws -> AgentKey {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw CLIError.unreadableFile(path: path, reason: error.localizedDescription)
        }
        do { return AgentKey(privateKey: try Ed25519.PrivateKey(pemRepresentation: text)) } catch {
            throw CLIError.invalidKeyFile(path: path, reason: "\(error)")
        }
    }

    /// Writes the PEM to a new file, mode 0600; an existing file is never overwritten (it may be a key in use).
    func write(to path: String) throws {
        let pem: String
        do { pem = try privateKey.pemRepresentation } catch {
            throw CLIError.invalidArgument("cannot encode the key: \(error)")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIError.unwritableFile(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let bytes = Array(pem.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw CLIError.unwritableFile(path: path, reason: reason)
        }
    }
}
