/// What the load consists of (`--scenario`).
enum Scenario: String, CaseIterable, Sendable {
    /// Token requests inside the mission's envelope: 200.
    case grant
    /// Token requests for a scope outside the envelope: 403 `denied`.
    case deny
    /// Proposals an auto-approval rule approves: 200.
    case proposeAuto = "propose-auto"
    /// Proposals outside every rule (202 pending), each followed by one poll of its pending URL.
    case proposeDeferred = "propose-deferred"
    /// `GET /missions?limit=50` with the admin key.
    case controlList = "control-list"
    /// `GET /missions/{s256}/audit?limit=50` with the admin key.
    case controlAudit = "control-audit"
    /// 90 % grants, 5 % denials, 5 % control reads (list and audit alternately).
    case mixed
}

/// One request kind the workers send; a scenario maps each request number to one.
enum RequestKind: String, CaseIterable, Sendable {
    case grant, deny, proposeAuto = "propose-auto", proposeDeferred = "propose-deferred"
    case controlList = "control-list", controlAudit = "control-audit"

    /// The status a correct server answers this kind with.
    var expectedStatus: Int {
        switch self {
        case .deny: 403
        case .proposeDeferred: 202
        default: 200
        }
    }
}

extension Scenario {
    /// The kind of request number `sequence` (mixed: a fixed 90/5/5 pattern over every 100).
    func kind(forSequence sequence: Int) -> RequestKind {
        switch self {
        case .grant: .grant
        case .deny: .deny
        case .proposeAuto: .proposeAuto
        case .proposeDeferred: .proposeDeferred
        case .controlList: .controlList
        case .controlAudit: .controlAudit
        case .mixed:
            switch sequence % 100 {
            case 0..<90: .grant
            case 90..<95: .deny
            case 95, 97, 99: .controlList
            default: .controlAudit
            }
        }
    }
}
