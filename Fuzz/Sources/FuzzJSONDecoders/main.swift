import MissionCore

/// libFuzzer entry: the strict JSON parser and the mission-proposal decoder on arbitrary bytes.
/// Whatever JSONValue.parse accepts must survive a canonical re-encode and re-parse unchanged.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let value = try? JSONValue.parse(bytes) {
        if let encoded = try? CanonicalJSON.encode(value) {
            guard let again = try? JSONValue.parse(encoded, maxDepth: 64) else {
                preconditionFailure("canonical JSON did not parse back")
            }
            precondition(again == value, "canonical JSON changed the value")
        }
    }
    _ = try? MissionProposal.decode(bytes)
    return 0
}
