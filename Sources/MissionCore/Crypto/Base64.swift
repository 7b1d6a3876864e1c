/// Base64 (RFC 4648 §4) and base64url (RFC 4648 §5) without Foundation.
///
/// Encoding: `Base64.encode` pads, `Base64URL.encode` does not (JOSE, RFC 7515 §2).
/// Decoding accepts either alphabet's output only in its own alphabet; padding is optional on input.
public enum Base64 {
    static let standardAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Padded standard base64.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        encode(bytes, alphabet: standardAlphabet, pad: true)
    }

    /// Decodes standard base64, padded or not. `nil` on any byte outside the alphabet,
    /// misplaced padding, or non-zero trailing bits (non-canonical input).
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        decode(Array(text.utf8), urlSafe: false)
    }

    static func encode(_ bytes: some Collection<UInt8>, alphabet: [UInt8], pad: Bool) -> String {
        // Written straight into the string's storage: building an array first and copying it
        // into a `String` cost a second allocation per call. (Base64 is ASCII, so the UTF-8
        // validation of the initializer never changes a byte.)
        let encoded: String? = bytes.withContiguousStorageIfAvailable { input in
            String(unsafeUninitializedCapacity: encodedCount(input.count, pad: pad)) { output in
                write(input, alphabet: alphabet, pad: pad, into: output)
            }
        }
        if let encoded { return encoded }
        return Array(bytes).withUnsafeBufferPointer { input in
            String(unsafeUninitializedCapacity: encodedCount(input.count, pad: pad)) { output in
                write(input, alphabet: alphabet, pad: pad, into: output)
            }
        }
    }

    /// The length of the encoding of `count` bytes: padded to a multiple of 4, or unpadded
    /// (2 or 3 characters for a final group of 1 or 2 bytes).
    static func encodedCount(_ count: Int, pad: Bool) -> Int {
        let whole = count / 3
        let rest = count - whole * 3
        return whole * 4 + (rest == 0 ? 0 : (pad ? 4 : rest + 1))
    }

    /// Appends the encoding of `bytes` to `output` (JWS.sign builds a whole token in one buffer).
    static func append(_ bytes: some Collection<UInt8>, alphabet: [UInt8], pad: Bool, to output: inout [UInt8]) {
        let encoded: Void? = bytes.withContiguousStorageIfAvailable { input in
            append(input, alphabet: alphabet, pad: pad, to: &output)
        }
        if encoded == nil {
            Array(bytes).withUnsafeBufferPointer { append($0, alphabet: alphabet, pad: pad, to: &output) }
        }
    }

    private static func append(
        _ input: UnsafeBufferPointer<UInt8>, alphabet: [UInt8], pad: Bool, to output: inout [UInt8]
    ) {
        let start = output.count
        // Grow once, then write through one pointer: appending byte by byte cost more than the
        // arithmetic (a token is ~1 KB of base64url).
        output.append(contentsOf: repeatElement(0, count: encodedCount(input.count, pad: pad)))
        output.withUnsafeMutableBufferPointer { buffer in
            _ = write(input, alphabet: alphabet, pad: pad, into: UnsafeMutableBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// Writes the encoding of `input` to the start of `buffer` (at least `encodedCount` bytes)
    /// and returns the number of bytes written.
    private static func write(
        _ input: UnsafeBufferPointer<UInt8>, alphabet: [UInt8], pad: Bool,
        into buffer: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        let whole = input.count / 3
        let rest = input.count - whole * 3
        let written = encodedCount(input.count, pad: pad)
        precondition(buffer.count >= written, "base64 output buffer too small")
        alphabet.withUnsafeBufferPointer { alphabet in
            var out = 0
            var index = 0
            while index + 3 <= input.count {
                let n = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                buffer[out] = alphabet[Int(n >> 18 & 63)]
                buffer[out + 1] = alphabet[Int(n >> 12 & 63)]
                buffer[out + 2] = alphabet[Int(n >> 6 & 63)]
                buffer[out + 3] = alphabet[Int(n & 63)]
                index += 3
                out += 4
            }
            if rest == 1 {
                let n = UInt32(input[index]) << 16
                buffer[out] = alphabet[Int(n >> 18 & 63)]
                buffer[out + 1] = alphabet[Int(n >> 12 & 63)]
                if pad {
                    buffer[out + 2] = UInt8(ascii: "=")
                    buffer[out + 3] = UInt8(ascii: "=")
                }
            } else if rest == 2 {
                let n = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
                buffer[out] = alphabet[Int(n >> 18 & 63)]
                buffer[out + 1] = alphabet[Int(n >> 12 & 63)]
                buffer[out + 2] = alphabet[Int(n >> 6 & 63)]
                if pad { buffer[out + 3] = UInt8(ascii: "=") }
            }
        }
        return written
    }

    static func value(of byte: UInt8, urlSafe: Bool) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+") where !urlSafe: return 62
        case UInt8(ascii: "/") where !urlSafe: return 63
        case UInt8(ascii: "-") where urlSafe: return 62
        case UInt8(ascii: "_") where urlSafe: return 63
        default: return nil
        }
    }

    static func decode(_ input: [UInt8], urlSafe: Bool) -> [UInt8]? {
        var end = input.count
        var padding = 0
        while end > 0 && input[end - 1] == UInt8(ascii: "=") { end -= 1; padding += 1 }
        if padding > 2 { return nil }
        // With padding, the whole input must be a multiple of four characters.
        if padding > 0 && input.count % 4 != 0 { return nil }
        if end % 4 == 1 { return nil }
        var output = [UInt8]()
        output.reserveCapacity(end * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for index in 0..<end {
            guard let sextet = value(of: input[index], urlSafe: urlSafe) else { return nil }
            accumulator = accumulator << 6 | UInt32(sextet)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        // RFC 4648 §3.5: leftover bits must be zero, otherwise two inputs decode to one value.
        if accumulator != 0 { return nil }
        return output
    }
}

/// Unpadded base64url, the JOSE encoding (RFC 7515 §2).
public enum Base64URL {
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        Base64.encode(bytes, alphabet: Base64.urlAlphabet, pad: false)
    }

    /// Appends the unpadded base64url encoding of `bytes` to `output`.
    static func append(_ bytes: some Collection<UInt8>, to output: inout [UInt8]) {
        Base64.append(bytes, alphabet: Base64.urlAlphabet, pad: false, to: &output)
    }

    /// Decodes base64url; padding is tolerated, any other deviation gives `nil`.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        Base64.decode(Array(text.utf8), urlSafe: true)
    }
}
