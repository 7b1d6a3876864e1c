import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// CPU time and peak memory of a process, read from procfs (proc(5)).
struct ProcessStats: Sendable {
    /// utime + stime, in seconds.
    let cpuSeconds: Double
    /// VmHWM: the peak resident set size, in KiB.
    let peakResidentKiB: Int
    /// VmRSS: the resident set size now, in KiB.
    let residentKiB: Int
    /// The process's thread count now.
    let threads: Int

    /// Reads `/proc/<pid>/stat` and `/proc/<pid>/status`; nil when the process is gone.
    static func read(pid: Int32) -> ProcessStats? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // proc(5): the command name (field 2) is parenthesised and may hold spaces, so split after
        // the last ')'; field 3 (state) is then index 0, utime (14) index 11 and stime (15) index 12.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var figures: [Substring: Int] = [:]
        for line in status.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon]
            guard name == "VmHWM" || name == "VmRSS" || name == "Threads" else { continue }
            figures[name] = Int(line[line.index(after: colon)...].split(whereSeparator: \.isWhitespace).first ?? "") ?? 0
        }
        return ProcessStats(
            cpuSeconds: (user + system) / ticks, peakResidentKiB: figures["VmHWM"] ?? 0,
            residentKiB: figures["VmRSS"] ?? 0, threads: figures["Threads"] ?? 0)
    }

    /// This process's own CPU seconds (user + system, all threads).
    static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// The calling thread's CPU time in nanoseconds (clock_gettime(2), CLOCK_THREAD_CPUTIME_ID).
    static func threadCPUNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
