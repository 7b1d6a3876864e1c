/// An authenticated admin API key holder, as every admin action names it in the audit trail.
public struct AdminPrincipal: Hashable, Sendable {
    /// The key id (`ma_<id>_…`), or `ma` for the MA itself.
    public let keyID: String
    /// The key's human name.
    public let name: String
    public let role: AdminRole
    /// The audit role; `system` only for `AdminPrincipal.system`.
    public let actorRole: ActorRole

    public init(keyID: String, name: String, role: AdminRole) {
        self.keyID = keyID
        self.name = name
        self.role = role
        self.actorRole = role.actorRole
    }

    private init(system: ()) {
        keyID = "ma"
        name = "system"
        role = .admin
        actorRole = .system
    }

    /// The MA itself (CLI bootstrap, sweeps): every permission, audited as `system`.
    public static let system = AdminPrincipal(system: ())

    /// The audit actor text: `<key id> (<name>)`.
    var auditActor: String { actorRole == .system ? "ma" : "\(keyID) (\(name))" }
}
