/// What one load thread recorded, counted in flat arrays on the hot path and turned into the report's
/// dictionaries (`"grant 200"`, `"grant io"`) once at the end.
struct LoadTally {
    private static let statusRange = 600
    private static let kinds = RequestKind.allCases

    var latency = LatencyHistogram()
    var completed = 0
    /// Count per (kind, status); status 0 stands for a transport failure or malformed response (`io`).
    private var counts = [Int](repeating: 0, count: LoadTally.kinds.count * LoadTally.statusRange)

    /// Records one measured request of `kind` that ended with `status` (0: `io`) after `nanoseconds`.
    mutating func record(_ kind: RequestKind, status: Int, nanoseconds: UInt64) {
        latency.record(nanoseconds)
        completed += 1
        let status = (0..<Self.statusRange).contains(status) ? status : 0
        counts[Self.ordinal(kind) * Self.statusRange + status] += 1
    }

    /// The figures in the report's form: statuses by kind, and the unexpected ones as errors.
    var outcome: LoadRunner.Outcome {
        var outcome = LoadRunner.Outcome()
        outcome.latency = latency
        outcome.completed = completed
        for kind in Self.kinds {
            for status in 0..<Self.statusRange {
                let count = counts[Self.ordinal(kind) * Self.statusRange + status]
                guard count > 0 else { continue }
                let key = "\(kind.rawValue) \(status == 0 ? "io" : String(status))"
                outcome.statuses[key, default: 0] += count
                if status != kind.expectedStatus { outcome.errors[key, default: 0] += count }
            }
        }
        return outcome
    }

    private static func ordinal(_ kind: RequestKind) -> Int {
        switch kind {
        case .grant: 0
        case .deny: 1
        case .proposeAuto: 2
        case .proposeDeferred: 3
        case .controlList: 4
        case .controlAudit: 5
        }
    }
}
