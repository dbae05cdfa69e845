import Foundation

/// Order times are whole milliseconds: the documents write them as RFC 3339 with milliseconds and the indexed
/// columns hold them as integers. A time is kept as the middle of its millisecond, so that the formatter (which
/// truncates) and the columns (which round down) agree, and a time read back equals the time written.
enum OrderTime {
    /// Now, to the millisecond.
    static func now() -> Date {
        Self.date(Self.milliseconds(Date()))
    }

    /// `date`'s millisecond since 1970.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Millisecond `milliseconds` after 1970.
    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: (Double(milliseconds) + 0.5) / 1000)
    }

    /// A time parsed from text (the start of its millisecond, give or take a rounding error), as an order time.
    static func parsed(_ date: Date) -> Date {
        Self.date(Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }
}
