import HTTPKit

/// libFuzzer entry: the first byte picks the field, the rest is its value. Parsers must throw
/// typed errors, never crash; a parsed Content-Digest must be re-serializable.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let selector = data[0] % 5
    let value = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    switch selector {
    case 0:
        if let field = try? SignatureInputField(parsing: value) { _ = try? field.input(for: "sig") }
    case 1:
        if let field = try? SignatureField(parsing: value) { _ = try? field.signature(for: "sig") }
    case 2:
        if let field = try? SignatureKeyField(parsing: value) { _ = try? field.key(for: "sig") }
    case 3:
        if let digest = try? ContentDigest(parsing: value) { _ = try? digest.expectedDigest() }
    default:
        _ = PreferHeader(parsing: value)
    }
    return 0
}
