import Foundation

/// The audit event's canonical bytes (see `AuditEvent`), written in one place for every source:
/// an event in memory, or a stored row read straight from SQLite's column buffers without
/// building `String`s (chain verification reads a million of them).
///
/// The member names are fixed ASCII, so their RFC 8785 order is the declaration order of
/// `Member`; each source says how to write each member, and `write` alone decides order, names
/// and separators.
enum AuditCanonicalForm {
    /// The hashed members, in canonical order.
    enum Member: CaseIterable {
        case action, actor, actorRole, decision, details, missionS256, reason, resource, scopes, sequence, time
        case tokenID

        var name: StaticString {
            switch self {
            case .action: "action"
            case .actor: "actor"
            case .actorRole: "actor_role"
            case .decision: "decision"
            case .details: "details"
            case .missionS256: "mission_s256"
            case .reason: "reason"
            case .resource: "resource"
            case .scopes: "scopes"
            case .sequence: "sequence"
            case .time: "time"
            case .tokenID: "token_id"
            }
        }
    }

    private static let members = Member.allCases

    /// Replaces `writer`'s output with the canonical bytes of `source`'s event.
    static func write<Source: AuditCanonicalSource>(_ source: Source, into writer: inout Writer) {
        writer.output.removeAll(keepingCapacity: true)
        var first = true
        for member in members {
            guard source.has(member) else { continue }
            writer.output.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            writer.output.append(UInt8(ascii: "\""))
            member.name.withUTF8Buffer { writer.output.append(contentsOf: $0) }
            writer.output.append(UInt8(ascii: "\""))
            writer.output.append(UInt8(ascii: ":"))
            source.write(member, to: &writer)
        }
        writer.output.append(UInt8(ascii: "}"))
    }

    /// The canonical bytes of `source`'s event.
    static func bytes<Source: AuditCanonicalSource>(_ source: Source) -> [UInt8] {
        var writer = Writer()
        write(source, into: &writer)
        return writer.output
    }

    /// Appends JSON values in the canonical form's spelling.
    struct Writer {
        var output: [UInt8] = []
        /// The day of the last time written and its `"YYYY-MM-DDT` prefix: consecutive events
        /// nearly always fall on the same day, so the calendar arithmetic runs once a day.
        private var cachedDay: Int64 = -1
        private var cachedDayPrefix: [UInt8] = []

        init() { output.reserveCapacity(320) }

        private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

        /// A JSON string of `text`'s UTF-8, escaped as `CanonicalJSON.writeString` does (RFC 8785
        /// §3.2.2.2: only `"`, `\` and control characters; `/` and non-ASCII as they are).
        mutating func string(_ text: String) {
            var text = text
            text.withUTF8 { string(UnsafeRawBufferPointer($0)) }
        }

        /// A JSON string of the UTF-8 bytes `bytes` (see `string(_: String)`).
        mutating func string(_ bytes: UnsafeRawBufferPointer) {
            output.append(UInt8(ascii: "\""))
            if !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                output.append(contentsOf: bytes)
                output.append(UInt8(ascii: "\""))
                return
            }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""): escape(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): escape(UInt8(ascii: "\\"))
                case 0x08: escape(UInt8(ascii: "b"))
                case 0x09: escape(UInt8(ascii: "t"))
                case 0x0A: escape(UInt8(ascii: "n"))
                case 0x0C: escape(UInt8(ascii: "f"))
                case 0x0D: escape(UInt8(ascii: "r"))
                case 0x00..<0x20:
                    escape(UInt8(ascii: "u"))
                    output.append(UInt8(ascii: "0"))
                    output.append(UInt8(ascii: "0"))
                    output.append(Writer.hexDigits[Int(byte >> 4)])
                    output.append(Writer.hexDigits[Int(byte & 0x0F)])
                default: output.append(byte)
                }
            }
            output.append(UInt8(ascii: "\""))
        }

        private mutating func escape(_ letter: UInt8) {
            output.append(UInt8(ascii: "\\"))
            output.append(letter)
        }

        /// Bytes that already are canonical JSON (a stored `scopes` or `details` column).
        mutating func json(_ bytes: UnsafeRawBufferPointer) { output.append(contentsOf: bytes) }

        /// A JSON array of strings.
        mutating func strings(_ values: [String]) {
            output.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                string(value)
            }
            output.append(UInt8(ascii: "]"))
        }

        /// A decimal integer.
        mutating func integer(_ value: Int64) {
            if value < 0 {
                output.append(UInt8(ascii: "-"))
                // The magnitude of Int64.min does not fit an Int64; it does a UInt64.
                digits(UInt64(bitPattern: 0 &- value))
            } else {
                digits(UInt64(value))
            }
        }

        private mutating func digits(_ value: UInt64) {
            var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes ≥ 20 digits
            withUnsafeMutableBytes(of: &buffer) { scratch in
                var index = scratch.count
                var rest = value
                repeat {
                    index -= 1
                    scratch[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                } while rest > 0
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[index...]))
            }
        }

        /// The RFC 3339 UTC time with milliseconds, exactly as `RFC3339.string(epochMilliseconds:)`
        /// writes it, without its intermediate strings for 1970…9999 (the fast path).
        mutating func time(epochMilliseconds: Int64) {
            guard epochMilliseconds >= 0, epochMilliseconds <= RFC3339.latestSeconds * 1000 + 999 else {
                string(RFC3339.string(epochMilliseconds: epochMilliseconds))
                return
            }
            let seconds = epochMilliseconds / 1000
            let days = seconds / 86_400
            let secondOfDay = Int(seconds - days * 86_400)
            if days != cachedDay {
                cachedDayPrefix = Writer.dayPrefix(days)
                cachedDay = days
            }
            output.append(contentsOf: cachedDayPrefix)
            padded(secondOfDay / 3600, 2)
            output.append(UInt8(ascii: ":"))
            padded(secondOfDay / 60 % 60, 2)
            output.append(UInt8(ascii: ":"))
            padded(secondOfDay % 60, 2)
            output.append(UInt8(ascii: "."))
            padded(Int(epochMilliseconds % 1000), 3)
            output.append(UInt8(ascii: "Z"))
            output.append(UInt8(ascii: "\""))
        }

        /// `"YYYY-MM-DDT` for `days` (≥ 0) since 1970-01-01.
        private static func dayPrefix(_ days: Int64) -> [UInt8] {
            // Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days,
            // for days ≥ 0 only).
            let shifted = days + 719_468
            let era = shifted / 146_097
            let dayOfEra = shifted - era * 146_097
            let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
            let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
            let monthPrime = (5 * dayOfYear + 2) / 153
            let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
            let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
            let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
            var prefix = Writer()
            prefix.output.append(UInt8(ascii: "\""))
            prefix.padded(Int(year), 4)
            prefix.output.append(UInt8(ascii: "-"))
            prefix.padded(Int(month), 2)
            prefix.output.append(UInt8(ascii: "-"))
            prefix.padded(Int(day), 2)
            prefix.output.append(UInt8(ascii: "T"))
            return prefix.output
        }

        /// `value` (0 ≤ value < 10^width) in exactly `width` digits.
        private mutating func padded(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                output.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
    }
}
