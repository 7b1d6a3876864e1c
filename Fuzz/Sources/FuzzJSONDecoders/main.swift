import MissionCore

/// libFuzzer entry: the strict JSON parser and the mission-proposal decoder on arbitrary bytes.
/// Whatever JSONValue.parse accepts and CanonicalJSON can write must be a fixed point: writing the
/// re-parsed canonical bytes gives the same bytes (an integral `Double` is written as an integer,
/// so the values themselves may differ in kind).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let value = try? JSONValue.parse(bytes), let encoded = try? CanonicalJSON.encode(value) {
        guard let again = try? JSONValue.parse(encoded, maxDepth: 64) else {
            preconditionFailure("canonical JSON did not parse back")
        }
        precondition((try? CanonicalJSON.encode(again)) == encoded, "canonical JSON is not a fixed point")
    }
    _ = try? MissionProposal.decode(bytes)
    return 0
}
