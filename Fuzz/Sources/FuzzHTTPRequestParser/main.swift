import HTTPKit

/// libFuzzer entry: the request parser on arbitrary bytes, fed whole and then in uneven pieces;
/// both feeds must reach the same verdict, and every accepted request must respect the limits.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Small limits so the fuzzer reaches every limit branch with short inputs.
    let limits = HTTPRequestParser.Limits(
        maxRequestLineBytes: 96, maxHeaderBytes: 256, maxHeaderCount: 8, maxBodyBytes: 64, maxChunkLineBytes: 48)
    let whole = verdict(bytes, limits: limits, step: bytes.count)
    let split = verdict(bytes, limits: limits, step: 1 + Int(bytes.first ?? 0) % 7)
    guard whole == split else {
        print("whole: \(whole)\nsplit: \(split)")
        preconditionFailure("the parser's verdict depends on how the bytes were split")
    }
    return 0
}

/// The requests parsed (method, path, body length) and the final error, if any.
private func verdict(_ bytes: [UInt8], limits: HTTPRequestParser.Limits, step: Int) -> String {
    var parser = HTTPRequestParser(limits: limits)
    var summary = ""
    var offset = 0
    repeat {
        let end = min(offset + max(step, 1), bytes.count)
        parser.append(bytes[offset..<end])
        offset = end
        do {
            while let event = try parser.next() {
                guard case .request(let request) = event else { continue }
                precondition(request.body.count <= limits.maxBodyBytes, "content over the limit")
                precondition(request.headers.count <= limits.maxHeaderCount, "too many fields")
                precondition(request.path.first == "/" || request.path == "*", "path not absolute")
                summary += "\(request.method.rawValue) \(request.path) \(request.body.count);"
            }
        } catch {
            // A failed parser stays failed.
            do {
                _ = try parser.next()
                preconditionFailure("a failed parser parsed again")
            } catch let again {
                precondition(again == error, "a failed parser changed its error")
            }
            return summary + "error \(error.code)"
        }
    } while offset < bytes.count
    return summary + "pending"
}
