import Foundation

/// A small Prometheus registry (text exposition format 0.0.4): request counts by route pattern,
/// method and status; a request-latency histogram by route; decisions by outcome. One lock; each
/// record is a few dictionary updates, far cheaper than the request it measures.
final class MetricsRegistry: Sendable {
    /// Latency bucket bounds in seconds (long polls land in the top buckets).
    static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    private struct RequestKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    private struct Histogram {
        var counts = [UInt64](repeating: 0, count: MetricsRegistry.buckets.count)
        var count: UInt64 = 0
        var sum: Double = 0

        mutating func record(_ seconds: Double) {
            for (index, bound) in MetricsRegistry.buckets.enumerated() where seconds <= bound { counts[index] += 1 }
            count += 1
            sum += seconds
        }
    }

    private struct State {
        var requests: [RequestKey: UInt64] = [:]
        var latency: [String: Histogram] = [:]
        var decisions: [String: UInt64] = [:]
    }

    /// A gauge sampled at every scrape.
    private struct Gauge {
        let name: String
        let help: String
        let sample: @Sendable () -> Int
    }

    private let state = Locked(State())
    private let gauges = Locked([Gauge]())

    /// Adds a gauge whose value `sample` reads at each scrape (e.g. the server's open connections). `sample` runs
    /// outside the registry's lock and must be cheap.
    func registerGauge(name: String, help: String, sample: @escaping @Sendable () -> Int) {
        gauges.withLock { $0.append(Gauge(name: name, help: help, sample: sample)) }
    }

    /// Counts one answered request under its route pattern (never the raw path, so the label set
    /// stays bounded) and records its latency.
    func recordRequest(route: String, method: String, status: Int, seconds: Double) {
        state.withLock { state in
            state.requests[RequestKey(route: route, method: method, status: status), default: 0] += 1
            // In place: copying the histogram out and back copied its bucket array on every request, under the lock.
            state.latency[route, default: Histogram()].record(seconds)
        }
    }

    /// Counts one decision (`granted`, `deferred`, `denied`, `refused`, `approved`, `pending`, …).
    func recordDecision(_ outcome: String) {
        state.withLock { $0.decisions[outcome, default: 0] += 1 }
    }

    /// The exposition text: counters, the registered gauges, then `gauges` sampled by the caller at scrape time.
    func render(gauges extra: [(name: String, help: String, value: Int)] = []) -> String {
        let registered = self.gauges.withLock { $0 }.map { (name: $0.name, help: $0.help, value: $0.sample()) }
        let gauges = registered + extra
        let snapshot = state.withLock { $0 }
        var out = ""
        out += "# HELP ma_http_requests_total HTTP requests answered, by route pattern, method and status.\n"
        out += "# TYPE ma_http_requests_total counter\n"
        for (key, value) in snapshot.requests.sorted(by: {
            ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status)
        }) {
            out +=
                "ma_http_requests_total{route=\"\(Self.escape(key.route))\",method=\"\(key.method)\",status=\"\(key.status)\"} \(value)\n"
        }
        out += "# HELP ma_http_request_duration_seconds Time from routing to response, by route pattern.\n"
        out += "# TYPE ma_http_request_duration_seconds histogram\n"
        for (route, histogram) in snapshot.latency.sorted(by: { $0.key < $1.key }) {
            let label = "route=\"\(Self.escape(route))\""
            for (index, bound) in Self.buckets.enumerated() {
                out +=
                    "ma_http_request_duration_seconds_bucket{\(label),le=\"\(Self.format(bound))\"} \(histogram.counts[index])\n"
            }
            out += "ma_http_request_duration_seconds_bucket{\(label),le=\"+Inf\"} \(histogram.count)\n"
            out += "ma_http_request_duration_seconds_sum{\(label)} \(Self.format(histogram.sum))\n"
            out += "ma_http_request_duration_seconds_count{\(label)} \(histogram.count)\n"
        }
        out += "# HELP ma_decisions_total Authorization decisions, by outcome.\n"
        out += "# TYPE ma_decisions_total counter\n"
        for (outcome, value) in snapshot.decisions.sorted(by: { $0.key < $1.key }) {
            out += "ma_decisions_total{outcome=\"\(Self.escape(outcome))\"} \(value)\n"
        }
        for gauge in gauges {
            out += "# HELP \(gauge.name) \(gauge.help)\n# TYPE \(gauge.name) gauge\n\(gauge.name) \(gauge.value)\n"
        }
        return out
    }

    /// Label values escape backslash, double quote and line feed (exposition format 0.0.4).
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
