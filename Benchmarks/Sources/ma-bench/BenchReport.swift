import Foundation

/// The figures of one run, printed for people or as one JSON object (`--json`).
struct BenchReport: Sendable {
    let options: BenchOptions
    let outcome: LoadRunner.Outcome
    let seconds: Double
    /// Server CPU seconds in the measured window, and its peak RSS (KiB) at the end.
    let serverCPU: Double?
    let serverPeakKiB: Int?
    let generatorCPU: Double
    let ceiling: CeilingProbe.Result?
    /// Server threads before the long pollers connected, when the measured window started and when it ended.
    let threadsBeforePollers: Int?
    let threadsAtStart: Int?
    let threadsAtEnd: Int?
    /// Periodic samples of the server over the measured window (`--sample-every`).
    let samples: [ProcessStats]
    /// Long polls that ended during the run, by status (nil without `--long-pollers`).
    let longPolls: [Int: Int]?

    var throughput: Double { Double(outcome.completed) / seconds }
    var errorCount: Int { outcome.errors.values.reduce(0, +) }
    var fractionOfCeiling: Double? { ceiling.map { throughput / $0.ceiling } }

    private func milliseconds(_ quantile: Double) -> Double {
        Double(outcome.latency.value(atQuantile: quantile)) / 1e6
    }

    /// Everything as a JSON-compatible dictionary.
    var dictionary: [String: Any] {
        var members: [String: Any] = [
            "label": options.label ?? options.scenario.rawValue, "scenario": options.scenario.rawValue,
            "scheme": options.scheme.rawValue, "connections": options.connections, "agents": options.agentCount,
            "duration_s": seconds, "requests": outcome.completed, "throughput_rps": throughput,
            "latency_ms": [
                "p50": milliseconds(0.5), "p90": milliseconds(0.9), "p99": milliseconds(0.99),
                "p99_9": milliseconds(0.999), "max": Double(outcome.latency.maximum) / 1e6,
                "mean": outcome.latency.mean / 1e6,
            ],
            "errors": errorCount, "errors_by_status": outcome.errors, "statuses": outcome.statuses,
            "generator_cpu_s": generatorCPU,
        ]
        if let rate = options.rate { members["rate"] = rate }
        var threads: [String: Int] = [:]
        threads["before_long_pollers"] = threadsBeforePollers
        threads["measure_start"] = threadsAtStart
        threads["measure_end"] = threadsAtEnd
        if let most = samples.map(\.threads).max() { threads["sampled_max"] = most }
        members["server_threads"] = threads
        if !samples.isEmpty {
            members["server_rss_mib_samples"] = samples.map { Double($0.residentKiB) / 1024 }
            members["server_threads_samples"] = samples.map(\.threads)
        }
        if let longPolls {
            members["long_pollers"] = options.longPollers
            members["long_polls_ended"] = Dictionary(uniqueKeysWithValues: longPolls.map { (String($0.key), $0.value) })
        }
        if let serverCPU {
            members["server_cpu_s"] = serverCPU
            if outcome.completed > 0 {
                members["server_cpu_us_per_request"] = serverCPU * 1e6 / Double(outcome.completed)
            }
        }
        if let serverPeakKiB { members["server_peak_rss_mib"] = Double(serverPeakKiB) / 1024 }
        if let ceiling, let fraction = fractionOfCeiling {
            members["ceiling"] = [
                "cores": ceiling.cores, "ed25519_verify_us": ceiling.verifyEd25519,
                "ed25519_sign_us": ceiling.signEd25519, "es256_sign_us": ceiling.signES256,
                "generator_request_us": ceiling.generatorRequest,
                "audit_append_per_row_64_group_cpu_us": ceiling.groupAppendPerRow,
                "single_commit_cpu_us": ceiling.singleCommitCPU, "single_commit_wall_us": ceiling.singleCommitWall,
                "group_commit_64_wall_us": ceiling.groupCommitWall, "per_request_cpu_us": ceiling.perRequest,
                "sha256_160b_us": ceiling.sha256Small, "jwk_thumbprint_us": ceiling.jwkThumbprint,
                "jwt_sign_ed25519_us": ceiling.jwtSignEd25519,
                "ceiling_rps": ceiling.ceiling,
            ]
            members["fraction_of_ceiling"] = fraction
        }
        return members
    }

    /// One JSON line.
    var json: String {
        guard let data = try? JSONSerialization.data(withJSONObject: dictionary, options: [.sortedKeys]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The human-readable form.
    var text: String {
        var lines: [String] = []
        let mode =
            options.rate.map { "open loop at \(Int($0)) req/s over \(options.connections) connections" }
            ?? "closed loop, \(options.connections) connections"
        lines.append(
            "ma-bench \(options.scenario.rawValue) (\(options.scheme.rawValue) agents: \(options.agentCount)), \(mode), "
                + String(format: "%.1f s measured", seconds))
        lines.append(String(format: "  throughput   %10.0f req/s  (%d requests)", throughput, outcome.completed))
        lines.append(
            String(
                format: "  latency ms   p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f",
                milliseconds(0.5), milliseconds(0.9), milliseconds(0.99), milliseconds(0.999),
                Double(outcome.latency.maximum) / 1e6, outcome.latency.mean / 1e6))
        let statuses = outcome.statuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        lines.append("  statuses     " + statuses.joined(separator: ", "))
        let errors = outcome.errors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        lines.append(
            "  errors       \(errorCount)" + (errors.isEmpty ? "" : "  (" + errors.joined(separator: ", ") + ")"))
        if let serverCPU {
            lines.append(
                String(
                    format: "  server CPU   %.2f s  (%.1f µs/request, %.0f%% of one core)", serverCPU,
                    outcome.completed > 0 ? serverCPU * 1e6 / Double(outcome.completed) : 0, serverCPU / seconds * 100))
        }
        if let serverPeakKiB {
            lines.append(String(format: "  server peak RSS %.1f MiB", Double(serverPeakKiB) / 1024))
        }
        if let start = threadsAtStart, let end = threadsAtEnd {
            let before = threadsBeforePollers.map { "\($0) before the long pollers, " } ?? ""
            lines.append("  server threads \(before)\(start) at the start, \(end) at the end")
        }
        if let longPolls {
            let ended = longPolls.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            lines.append("  long pollers \(options.longPollers), polls ended: \(ended.isEmpty ? "none" : ended)")
        }
        if let first = samples.first, let last = samples.last {
            lines.append(
                String(
                    format: "  server RSS   %.1f MiB at the start, %.1f MiB at the end, %.1f MiB most (%d samples)",
                    Double(first.residentKiB) / 1024, Double(last.residentKiB) / 1024,
                    Double(samples.map(\.residentKiB).max() ?? 0) / 1024, samples.count))
        }
        lines.append(String(format: "  generator CPU %.2f s", generatorCPU))
        if let ceiling, let fraction = fractionOfCeiling {
            lines.append(
                String(
                    format: "  ceiling      Ed25519 verify %.1f + token sign %.1f + audit append %.1f (64-row group) "
                        + "+ generator sign %.1f = %.1f µs CPU/request; %d cores → %.0f req/s",
                    ceiling.verifyEd25519, ceiling.signEd25519, ceiling.groupAppendPerRow, ceiling.signEd25519,
                    ceiling.perRequest, ceiling.cores, ceiling.ceiling))
            lines.append(
                String(
                    format:
                        "               (ES256 sign %.1f µs; generator's whole request %.1f µs; one-row durable commit "
                        + "%.1f µs CPU, %.0f µs wall; 64-row commit %.0f µs wall)",
                    ceiling.signES256, ceiling.generatorRequest, ceiling.singleCommitCPU, ceiling.singleCommitWall,
                    ceiling.groupCommitWall))
            lines.append(
                String(
                    format: "               (server building blocks: SHA-256 of 160 B %.2f µs, JWK thumbprint %.2f µs, "
                        + "whole Ed25519 JWT %.1f µs)", ceiling.sha256Small, ceiling.jwkThumbprint,
                    ceiling.jwtSignEd25519))
            lines.append(String(format: "  fraction of ceiling %.1f%%", fraction * 100))
        }
        return lines.joined(separator: "\n")
    }
}
