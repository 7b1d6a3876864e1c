extension Base64URL {
    /// Strict JOSE base64url (RFC 7515 §2): no padding, only the URL alphabet, zero trailing bits.
    static func decodeUnpadded(_ text: some StringProtocol) -> [UInt8]? {
        guard !text.utf8.contains(UInt8(ascii: "=")) else { return nil }
        return decode(text)
    }
}
