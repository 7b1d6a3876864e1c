import Foundation
import Synchronization

/// The whole run: options → agents → setup → ceiling probe → load → report.
enum BenchCommand {
    static func main(arguments: [String]) async -> Int32 {
        let options: BenchOptions
        do {
            options = try BenchOptions(arguments: arguments)
        } catch {
            if case .usage(let message) = error, !message.isEmpty { printError("ma-bench: \(message)") }
            printError(BenchOptions.usage)
            return 2
        }
        do {
            if let directory = options.prefillDataDirectory {
                let start = ContinuousClock.now
                try TrailPrefill.run(dataDirectory: directory, events: options.prefillEvents)
                printError("ma-bench: appended \(options.prefillEvents) audit events in \(ContinuousClock.now - start)")
                return 0
            }
            if options.printProviderJWKS {
                guard let seed = options.providerSeed else {
                    throw BenchError.usage("provider-jwks needs --provider-seed")
                }
                print(try BenchProvider(issuer: options.providerIssuer, seedHex: seed).jwksJSON)
                return 0
            }
            let report = try await run(options)
            print(options.json ? report.json : report.text)
            return report.errorCount == 0 ? 0 : 1
        } catch {
            printError("ma-bench: \(error)")
            return 1
        }
    }

    static func run(_ options: BenchOptions) async throws -> BenchReport {
        let (host, port, authority) = try options.endpoint()
        let runID = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let provider = try options.providerSeed.map {
            try BenchProvider(issuer: options.providerIssuer, seedHex: $0)
        }
        var agents: [BenchAgent] = []
        for index in 0..<options.agentCount {
            let jwt = options.scheme == .jwt || (options.scheme == .both && index % 2 == 1)
            agents.append(try BenchAgent(index: index, run: runID, provider: jwt ? provider : nil))
        }
        let factory = RequestFactory(
            authority: authority, adminKey: options.adminKey, resource: options.resource, run: runID)
        let setup = BenchSetup(factory: factory, host: host, port: port)
        agents = try await setup.prepare(agents)
        if options.scenario == .controlAudit || options.scenario == .mixed {
            try await setup.prefillAudit(agents, count: options.auditPrefill)
        }
        // The load client writes requests itself: prove it writes what BenchAgent.sign would, before measuring.
        try SignedRequestEncoder.selfCheck(agents: agents, factory: factory)
        let ceiling = options.skipCeiling ? nil : try CeilingProbe.measure(factory: factory, agent: agents[0])
        let threadsBeforePollers = options.serverPID.flatMap(ProcessStats.read(pid:))?.threads
        var pollers: LongPollers.Counters?
        if options.longPollers > 0 {
            pollers = try await LongPollers(factory: factory, host: host, port: port, wait: options.longPollWait)
                .start(count: options.longPollers, agents: agents)
        }

        let runner = LoadRunner(
            host: host, port: port, factory: factory, scenario: options.scenario, agents: agents,
            connections: options.connections, rate: options.rate, warmup: .milliseconds(Int64(options.warmup * 1000)),
            duration: .milliseconds(Int64(options.duration * 1000)), threads: options.loadThreads)
        let baseline = Baseline()
        let pid = options.serverPID
        let startHook = options.onMeasureStart
        let sampler = ServerSampler(pid: pid, every: options.sampleEvery)
        let outcome = try await runner.run {
            if let startHook { runShell(startHook) }
            baseline.capture(server: pid.flatMap(ProcessStats.read(pid:)), generator: ProcessStats.ownCPUSeconds())
            sampler.start()
        }
        let samples = sampler.stop()
        let after = pid.flatMap(ProcessStats.read(pid:))
        if let endHook = options.onMeasureEnd { runShell(endHook) }
        let (serverBefore, generatorBefore) = baseline.values
        var serverCPU: Double?
        if let after, let serverBefore { serverCPU = after.cpuSeconds - serverBefore.cpuSeconds }
        return BenchReport(
            options: options, outcome: outcome, seconds: max(outcome.measuredSeconds, 0.001), serverCPU: serverCPU,
            serverPeakKiB: after?.peakResidentKiB, generatorCPU: ProcessStats.ownCPUSeconds() - generatorBefore,
            ceiling: ceiling, threadsBeforePollers: threadsBeforePollers, threadsAtStart: serverBefore?.threads,
            threadsAtEnd: after?.threads, samples: samples, longPolls: pollers?.byStatus)
    }

    /// Runs `command` with `/bin/sh -c` and waits for it; a failure is reported, not fatal (it only feeds a profile).
    static func runShell(_ command: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        do {
            try process.run()
            process.waitUntilExit()
            if process.terminationStatus != 0 { printError("ma-bench: '\(command)' exited \(process.terminationStatus)") }
        } catch {
            printError("ma-bench: cannot run '\(command)': \(error)")
        }
    }

    private static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// Samples the server's resident memory and thread count every `every` seconds of the measured window.
final class ServerSampler: Sendable {
    private let pid: Int32?
    private let every: Double?
    private let state = Mutex<(samples: [ProcessStats], task: Task<Void, Never>?)>(([], nil))

    init(pid: Int32?, every: Double?) {
        self.pid = pid
        self.every = every
    }

    func start() {
        guard let pid, let every, every > 0 else { return }
        let task = Task { [self] in
            while !Task.isCancelled {
                if let stats = ProcessStats.read(pid: pid) { state.withLock { $0.samples.append(stats) } }
                try? await Task.sleep(for: .milliseconds(Int64(every * 1000)))
            }
        }
        state.withLock { $0.task = task }
    }

    /// Stops sampling; the samples taken, oldest first.
    func stop() -> [ProcessStats] {
        state.withLock { state in
            state.task?.cancel()
            return state.samples
        }
    }
}

/// The CPU counters at the start of the measured window.
final class Baseline: Sendable {
    private let state = Mutex<(ProcessStats?, Double)>((nil, 0))

    func capture(server: ProcessStats?, generator: Double) { state.withLock { $0 = (server, generator) } }

    var values: (ProcessStats?, Double) { state.withLock { $0 } }
}
