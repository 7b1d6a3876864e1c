import Foundation

/// The command line: `ma-bench [options]` runs a scenario; `ma-bench provider-jwks --provider-seed HEX`
/// prints the JWK Set of the test agent provider (for the server configuration).
struct BenchOptions: Sendable {
    /// How agents name their key in `Signature-Key`.
    enum SchemeChoice: String, Sendable {
        case hwk, jwt
        /// Half the agents of each kind.
        case both
    }

    var url = "http://127.0.0.1:8080"
    var adminKey = ""
    var scenario = Scenario.grant
    var scheme = SchemeChoice.hwk
    var connections = 64
    var rate: Double?
    var duration = 10.0
    var warmup = 2.0
    var agents: Int?
    var serverPID: Int32?
    var json = false
    var label: String?
    var providerSeed: String?
    var providerIssuer = "https://agents.bench.example"
    var resource = "https://api.bench.example"
    var auditPrefill = 20
    var skipCeiling = false
    var printProviderJWKS = false
    /// `prefill-trail`: the stopped server's data folder and how many audit events to append.
    var prefillDataDirectory: String?
    var prefillEvents = 1_000_000
    /// Shell commands run when the measured window starts and when it ends (e.g. `callgrind_control -z PID` and
    /// `callgrind_control -d PID`, so a profile covers exactly the measured requests).
    /// Agents holding long polls open during the run (`Prefer: wait=longPollWait`), and how long each asks for.
    var longPollers = 0
    var longPollWait = 60
    /// Seconds between samples of the server's resident memory and thread count during the measured window.
    var sampleEvery: Double?
    /// OS threads running the load's epoll loops (the connections are split over them).
    var loadThreads = LoadRunner.defaultThreads
    var onMeasureStart: String?
    var onMeasureEnd: String?

    static let usage = """
        usage: ma-bench --url URL --admin-key KEY [--scenario grant|deny|propose-auto|propose-deferred|control-list|
                        control-audit|mixed] [--scheme hwk|jwt|both] [--connections N | --rate N] [--duration S]
                        [--warmup S] [--agents N] [--server-pid PID] [--provider-seed HEX] [--provider-issuer URL]
                        [--resource ORIGIN] [--audit-prefill N] [--skip-ceiling] [--label TEXT] [--json]
                        [--long-pollers N] [--long-poll-wait S] [--sample-every S] [--load-threads N]
                        [--on-measure-start CMD] [--on-measure-end CMD]
               ma-bench provider-jwks --provider-seed HEX [--provider-issuer URL]
               ma-bench prefill-trail --data-dir DIR [--events N]   (the server must be stopped)
        """

    /// Parses `arguments` (without the program name).
    init(arguments: [String]) throws(BenchError) {
        var rest = arguments[...]
        var prefill = false
        if rest.first == "provider-jwks" {
            printProviderJWKS = true
            rest = rest.dropFirst()
        } else if rest.first == "prefill-trail" {
            prefill = true
            rest = rest.dropFirst()
        }
        while let flag = rest.popFirst() {
            func value() throws(BenchError) -> String {
                guard let next = rest.popFirst() else { throw .usage("\(flag) needs a value") }
                return next
            }
            func number(_ text: String) throws(BenchError) -> Double {
                guard let parsed = Double(text), parsed.isFinite, parsed >= 0 else {
                    throw .usage("\(flag): not a number: \(text)")
                }
                return parsed
            }
            func count(_ text: String) throws(BenchError) -> Int {
                guard let parsed = Int(text), parsed > 0 else { throw .usage("\(flag): a positive integer") }
                return parsed
            }
            switch flag {
            case "--url": url = try value()
            case "--admin-key": adminKey = try value()
            case "--scenario":
                let text = try value()
                guard let parsed = Scenario(rawValue: text) else { throw .usage("unknown scenario \(text)") }
                scenario = parsed
            case "--scheme":
                let text = try value()
                guard let parsed = SchemeChoice(rawValue: text) else { throw .usage("--scheme: hwk, jwt or both") }
                scheme = parsed
            case "--connections": connections = try count(try value())
            case "--rate": rate = try number(try value())
            case "--duration": duration = try number(try value())
            case "--warmup": warmup = try number(try value())
            case "--agents": agents = try count(try value())
            case "--server-pid":
                guard let pid = Int32(try value()) else { throw .usage("--server-pid: a process id") }
                serverPID = pid
            case "--provider-seed": providerSeed = try value()
            case "--provider-issuer": providerIssuer = try value()
            case "--resource": resource = try value()
            case "--audit-prefill": auditPrefill = Int(try number(try value()))
            case "--label": label = try value()
            case "--skip-ceiling": skipCeiling = true
            case "--long-pollers": longPollers = try count(try value())
            case "--long-poll-wait": longPollWait = try count(try value())
            case "--sample-every": sampleEvery = try number(try value())
            case "--load-threads": loadThreads = try count(try value())
            case "--data-dir": prefillDataDirectory = try value()
            case "--events": prefillEvents = try count(try value())
            case "--on-measure-start": onMeasureStart = try value()
            case "--on-measure-end": onMeasureEnd = try value()
            case "--json": json = true
            case "-h", "--help": throw .usage("")
            default: throw .usage("unknown option \(flag)")
            }
        }
        if prefill {
            guard prefillDataDirectory != nil else { throw .usage("prefill-trail needs --data-dir") }
            return
        }
        prefillDataDirectory = nil
        if !printProviderJWKS && adminKey.isEmpty { throw .usage("--admin-key is required") }
        if scheme != .hwk && providerSeed == nil { throw .usage("--scheme \(scheme.rawValue) needs --provider-seed") }
    }

    /// Agents in the run: `--agents`, else one per connection.
    var agentCount: Int { agents ?? connections }

    /// The server's `host`, `port` and `@authority` from `--url` (http only: the bench talks plain HTTP).
    func endpoint() throws(BenchError) -> (host: String, port: Int, authority: String) {
        guard let components = URLComponents(string: url), components.scheme == "http",
            let host = components.host, !host.isEmpty
        else { throw .usage("--url: an http://host:port URL") }
        let port = components.port ?? 80
        let authority = components.port == nil ? host : "\(host):\(port)"
        return (host, port, authority.lowercased())
    }
}

/// Why the bench stopped.
enum BenchError: Error, Equatable, Sendable {
    /// Bad command line; the text says what (empty: print the usage only).
    case usage(String)
    /// Setup through the server failed: what was attempted and what came back.
    case setup(String)
    /// A local measurement failed.
    case probe(String)
    /// The load client's own machinery failed (OpenSSL contexts, epoll, address resolution).
    case load(String)
}
