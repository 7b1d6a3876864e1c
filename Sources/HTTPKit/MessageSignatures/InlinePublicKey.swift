/// The JWK members of an `hwk` Signature-Key member, each an sf-string ([SK] §hwk; wire notes §1.4).
///
/// Structure is checked here (OKP needs `crv`,`x`; EC `crv`,`x`,`y`; RSA `n`,`e`; `kid` MUST NOT appear).
/// `alg` is kept optional so the caller can answer `unsupported_algorithm` when it is absent, and an unknown `kty`
/// is left to the caller for the same reason.
public struct InlinePublicKey: Hashable, Sendable {
    /// `kty`: `OKP`, `EC`, `RSA`, …
    public let kty: String
    /// `crv` (OKP, EC).
    public let crv: String?
    /// `x` (OKP, EC), base64url.
    public let x: String?
    /// `y` (EC), base64url.
    public let y: String?
    /// `n` (RSA), base64url.
    public let n: String?
    /// `e` (RSA), base64url.
    public let e: String?
    /// `alg`: the fully specified JOSE algorithm.
    public let alg: String?

    /// Creates a key from its members (for signing clients that send `hwk`).
    public init(
        kty: String, crv: String? = nil, x: String? = nil, y: String? = nil, n: String? = nil,
        e: String? = nil, alg: String?
    ) {
        self.kty = kty
        self.crv = crv
        self.x = x
        self.y = y
        self.n = n
        self.e = e
        self.alg = alg
    }

    init(parameters: StructuredField.Parameters) throws(SignatureError) {
        if parameters["kid"] != nil { throw .invalidKeyParameter(scheme: "hwk", parameter: "kid") }
        func optional(_ key: String) throws(SignatureError) -> String? {
            guard let value = parameters[key] else { return nil }
            guard case .string(let text) = value, !text.isEmpty else {
                throw .invalidKeyParameter(scheme: "hwk", parameter: key)
            }
            return text
        }
        guard let kty = try optional("kty") else { throw .invalidKeyParameter(scheme: "hwk", parameter: "kty") }
        self.init(
            kty: kty, crv: try optional("crv"), x: try optional("x"), y: try optional("y"), n: try optional("n"),
            e: try optional("e"), alg: try optional("alg"))
        let needed: [(String, String?)]
        switch kty {
        case "OKP": needed = [("crv", crv), ("x", x)]
        case "EC": needed = [("crv", crv), ("x", x), ("y", y)]
        case "RSA": needed = [("n", n), ("e", e)]
        default: needed = []
        }
        if let missing = needed.first(where: { $0.1 == nil }) {
            throw .invalidKeyParameter(scheme: "hwk", parameter: missing.0)
        }
    }

    /// The `Signature-Key` member value for signing, e.g. `hwk;kty="OKP";crv="Ed25519";x="…";alg="Ed25519"`.
    public var memberValue: String {
        var parameters = StructuredField.Parameters()
        parameters["kty"] = .string(kty)
        for (key, value) in [("crv", crv), ("x", x), ("y", y), ("n", n), ("e", e), ("alg", alg)] {
            if let value { parameters[key] = .string(value) }
        }
        return (try? StructuredField.serialize(StructuredField.Item(.token("hwk"), parameters: parameters))) ?? "hwk"
    }
}
