import Foundation
import Testing

@testable import HTTPKit

/// The battery at parser level (no sockets), and the bridge to the llhttp differential.
///
/// `Tests/Battery/differential.py` runs this suite twice: with `BATTERY_EXPORT_DIR` the catalog's
/// bytes are written out as a corpus; with `BATTERY_JUDGE_DIR` every file under that directory is
/// parsed and the verdicts go to `verdicts.json` beside them.
@Suite("Battery: parser verdicts")
struct BatteryParserVerdictTests {
    /// What the parser made of a byte string fed in one piece.
    struct Verdict {
        var requests: [HTTPRequest] = []
        var error: HTTPParseError?
        var sawContinue = false
        /// Offset just past each request, so the differential can find where the next one starts.
        var ends: [Int] = []
    }

    static func judge(_ bytes: [UInt8]) -> Verdict {
        var parser = HTTPRequestParser()
        var verdict = Verdict()
        parser.append(bytes)
        do {
            while let event = try parser.next() {
                switch event {
                case .continueExpected: verdict.sawContinue = true
                case .request(let request):
                    verdict.requests.append(request)
                    verdict.ends.append(bytes.count - parser.bufferedByteCount)
                }
            }
        } catch {
            verdict.error = error
        }
        return verdict
    }

    @Test("the parser alone reaches the socket battery's verdict", arguments: BatteryCatalog.all)
    func parserAgreesWithBattery(_ testCase: BatteryCase) {
        let verdict = Self.judge(testCase.bytes + (testCase.continuation ?? []) + BatteryCase.canary)
        if let status = testCase.rejectionStatus {
            #expect(verdict.requests.isEmpty, "nothing accepted before the rejection")
            #expect(verdict.error.map { Int($0.status.code) } == status, "\(String(describing: verdict.error))")
        } else {
            #expect(verdict.requests.count >= 1, "\(String(describing: verdict.error))")
        }
    }

    @Test(
        "export the catalog as a corpus", .enabled(if: ProcessInfo.processInfo.environment["BATTERY_EXPORT_DIR"] != nil)
    )
    func exportCorpus() throws {
        let directory = URL(fileURLWithPath: try #require(ProcessInfo.processInfo.environment["BATTERY_EXPORT_DIR"]))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var manifest: [[String: Any]] = []
        for (index, testCase) in BatteryCatalog.all.enumerated() {
            let file = String(format: "battery-%03d.http", index)
            try Data(testCase.bytes + (testCase.continuation ?? [])).write(to: directory.appendingPathComponent(file))
            manifest.append(["file": file, "name": testCase.name, "statuses": testCase.statuses])
        }
        let data = try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: directory.appendingPathComponent("manifest.json"))
    }

    @Test("judge a corpus directory", .enabled(if: ProcessInfo.processInfo.environment["BATTERY_JUDGE_DIR"] != nil))
    func judgeCorpus() throws {
        let root = URL(fileURLWithPath: try #require(ProcessInfo.processInfo.environment["BATTERY_JUDGE_DIR"]))
        let enumerator = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
        var verdicts: [String: Any] = [:]
        for case let url as URL in enumerator where url.pathExtension == "http" {
            let bytes = [UInt8](try Data(contentsOf: url))
            let verdict = Self.judge(bytes)
            let relative = String(url.path.dropFirst(root.path.count + 1))
            verdicts[relative] =
                [
                    "requests": zip(verdict.requests, verdict.ends).map { request, end in
                        [
                            "method": request.method.rawValue, "body": request.body.count,
                            "keepAlive": request.wantsKeepAlive, "end": end,
                        ] as [String: Any]
                    },
                    "error": verdict.error?.code ?? NSNull(),
                    "status": verdict.error.map { Int($0.status.code) } ?? NSNull(),
                ] as [String: Any]
        }
        #expect(!verdicts.isEmpty, "no .http files under \(root.path)")
        let data = try JSONSerialization.data(withJSONObject: verdicts, options: [.sortedKeys])
        try data.write(to: root.appendingPathComponent("verdicts.json"))
    }
}
