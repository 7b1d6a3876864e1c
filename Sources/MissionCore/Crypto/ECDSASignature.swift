import COpenSSL

/// Conversions between the two ECDSA signature encodings for P-256: DER `ECDSA-Sig-Value`
/// (RFC 3279 §2.2.3) and JOSE's fixed-width r‖s (RFC 7518 §3.4).
enum ECDSASignature {
    /// r‖s (32 bytes each) from DER; `nil` when the DER does not parse or a value is too wide.
    static func raw(fromDER der: [UInt8]) -> [UInt8]? {
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let parsed else { ERR_clear_error(); return nil }
        defer { ECDSA_SIG_free(parsed) }
        var r: OpaquePointer?
        var s: OpaquePointer?
        ECDSA_SIG_get0(parsed, &r, &s)
        guard let r, let s else { return nil }
        var output = [UInt8](repeating: 0, count: 2 * P256.coordinateByteCount)
        let width = Int32(P256.coordinateByteCount)
        let ok = output.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            // BN_bn2binpad returns -1 when the number does not fit in `width` bytes.
            return BN_bn2binpad(r, base, width) == width && BN_bn2binpad(s, base + 32, width) == width
        }
        return ok ? output : nil
    }

    /// DER from r‖s; `nil` unless the input is exactly 64 bytes.
    static func der(fromRaw raw: [UInt8]) -> [UInt8]? {
        guard raw.count == 2 * P256.coordinateByteCount else { return nil }
        guard let signature = ECDSA_SIG_new() else { ERR_clear_error(); return nil }
        defer { ECDSA_SIG_free(signature) }
        let r = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, 32, nil) }
        let s = raw[32...].withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, 32, nil) }
        guard let r, let s else {
            BN_free(r)
            BN_free(s)
            ERR_clear_error()
            return nil
        }
        // ECDSA_SIG_set0: "Calling this function transfers the memory management of the values
        // to the ECDSA_SIG object".
        guard ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            ERR_clear_error()
            return nil
        }
        let length = i2d_ECDSA_SIG(signature, nil)
        guard length > 0 else { ERR_clear_error(); return nil }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_ECDSA_SIG(signature, &cursor)
        }
        return written == length ? der : nil
    }
}
