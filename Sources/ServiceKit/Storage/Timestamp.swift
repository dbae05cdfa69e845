import Foundation

/// Times as the services store them: integer milliseconds since 1970.
public enum Timestamp {
    /// Now, in milliseconds since 1970.
    public static func nowMilliseconds() -> Int64 {
        milliseconds(Date())
    }

    /// `date` in milliseconds since 1970.
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// The date `milliseconds` after 1970.
    public static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// RFC 3339 text in UTC with milliseconds, as the events envelope and the JSON answers write times.
    public static func rfc3339(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
