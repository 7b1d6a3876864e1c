import Foundation

/// RFC 3339 UTC timestamps (`2026-04-07T14:30:00Z`), the profile [MG] uses for `approved_at` and
/// `expires_at` (wire notes A10). Written by arithmetic rather than a `DateFormatter` so the output
/// cannot depend on locale, calendar settings or a non-`Sendable` formatter.
public enum RFC3339 {
    /// Whole seconds, UTC, `Z` suffix; fractions are truncated toward the past.
    public static func string(from date: Date) -> String {
        format(epochSeconds: clampedSeconds(date.timeIntervalSince1970), milliseconds: nil)
    }

    /// Milliseconds precision (`2026-04-07T14:30:00.123Z`), for audit timestamps.
    public static func string(epochMilliseconds: Int64) -> String {
        let seconds = epochMilliseconds >= 0 ? epochMilliseconds / 1000 : (epochMilliseconds - 999) / 1000
        return format(epochSeconds: seconds, milliseconds: Int(epochMilliseconds - seconds * 1000))
    }

    /// `date` truncated to whole seconds, so a stored `Date` equals what its text form says.
    public static func truncatedToSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(clampedSeconds(date.timeIntervalSince1970)))
    }

    /// The latest instant written as a four-digit year: 9999-12-31T23:59:59Z.
    public static let latestSeconds: Int64 = 253_402_300_799

    /// Whole seconds, clamped to years 0000…9999 so absurd inputs (a huge `expires_in`, an
    /// infinite date) can neither trap in the integer conversion nor print a five-digit year.
    static func clampedSeconds(_ interval: TimeInterval) -> Int64 {
        guard interval.isFinite else { return interval > 0 ? latestSeconds : earliestSeconds }
        let seconds = interval.rounded(.down)
        if seconds >= Double(latestSeconds) { return latestSeconds }
        if seconds <= Double(earliestSeconds) { return earliestSeconds }
        return Int64(seconds)
    }

    static let earliestSeconds: Int64 = -62_167_219_200

    private static func format(epochSeconds: Int64, milliseconds: Int?) -> String {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let secondOfDay = Int(epochSeconds - days * 86_400)
        let (year, month, day) = civilDate(fromDays: days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if let milliseconds { text += "." + pad(milliseconds, 3) }
        return text + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    // Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `civil_from_days`).
    private static func civilDate(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}
