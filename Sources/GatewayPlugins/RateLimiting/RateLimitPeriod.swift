/// Kong's rate-limiting periods, shortest first. Windows are aligned to the start of their period in UTC, as
/// Kong's: a minute starts at :00, a day at midnight, a month on its first day, a year on January 1st.
public enum RateLimitPeriod: Int, CaseIterable, Sendable, Comparable {
    case second, minute, hour, day, month, year

    /// The configuration field: `second`, `minute`, ...
    public var name: String {
        switch self {
        case .second: "second"
        case .minute: "minute"
        case .hour: "hour"
        case .day: "day"
        case .month: "month"
        case .year: "year"
        }
    }

    /// The end of Kong's header names: `X-RateLimit-Limit-Minute`.
    var headerSuffix: String {
        switch self {
        case .second: "Second"
        case .minute: "Minute"
        case .hour: "Hour"
        case .day: "Day"
        case .month: "Month"
        case .year: "Year"
        }
    }

    /// The window of this period that holds the second `time` (seconds since 1970, UTC): its first second and the
    /// first second of the next window.
    func window(containing time: Int64) -> (start: Int64, end: Int64) {
        switch self {
        case .second: return Self.fixed(time, length: 1)
        case .minute: return Self.fixed(time, length: 60)
        case .hour: return Self.fixed(time, length: 3_600)
        case .day: return Self.fixed(time, length: 86_400)
        case .month:
            let date = UTCCalendar.date(days: UTCCalendar.floorDivide(time, 86_400))
            let next = date.month == 12 ? (date.year + 1, Int64(1)) : (date.year, date.month + 1)
            return (
                UTCCalendar.days(year: date.year, month: date.month, day: 1) * 86_400,
                UTCCalendar.days(year: next.0, month: next.1, day: 1) * 86_400
            )
        case .year:
            let year = UTCCalendar.date(days: UTCCalendar.floorDivide(time, 86_400)).year
            return (
                UTCCalendar.days(year: year, month: 1, day: 1) * 86_400,
                UTCCalendar.days(year: year + 1, month: 1, day: 1) * 86_400
            )
        }
    }

    private static func fixed(_ time: Int64, length: Int64) -> (start: Int64, end: Int64) {
        let start = UTCCalendar.floorDivide(time, length) * length
        return (start, start + length)
    }

    public static func < (lhs: RateLimitPeriod, rhs: RateLimitPeriod) -> Bool { lhs.rawValue < rhs.rawValue }
}
