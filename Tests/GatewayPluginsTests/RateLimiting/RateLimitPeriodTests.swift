import Testing

@testable import GatewayPlugins

@Suite struct RateLimitPeriodTests {
    /// 2026-01-01 00:00:00 UTC, `TestClock`'s default.
    private static let newYear2026: Int64 = 1_767_225_600

    @Test func shortPeriodsAreAlignedToTheirLength() {
        let time = Self.newYear2026 + 3_600 * 5 + 60 * 7 + 42  // 05:07:42
        #expect(RateLimitPeriod.second.window(containing: time) == (time, time + 1))
        #expect(RateLimitPeriod.minute.window(containing: time) == (time - 42, time - 42 + 60))
        #expect(RateLimitPeriod.hour.window(containing: time) == (time - 7 * 60 - 42, time - 7 * 60 - 42 + 3_600))
        #expect(RateLimitPeriod.day.window(containing: time) == (Self.newYear2026, Self.newYear2026 + 86_400))
    }

    /// A second in a month, the month's first second, the next month's first second.
    private static let months: [(Int64, Int64, Int64)] = [
        (1_767_225_600, 1_767_225_600, 1_769_904_000),  // 2026-01-01: 31 days
        (1_772_323_199, 1_769_904_000, 1_772_323_200),  // 2026-02-28 23:59:59: 28 days
        (1_709_164_800, 1_706_745_600, 1_709_251_200),  // 2024-02-29: a leap year
        (949_363_200, 949_363_200, 951_868_800),  // 2000-02: 29 days (divisible by 400)
        (4_105_123_200, 4_105_123_200, 4_107_542_400),  // 2100-02: 28 days (divisible by 100)
        (1_767_225_599, 1_764_547_200, 1_767_225_600),  // 2025-12-31 23:59:59: December into January
        (-1, -2_678_400, 0),  // 1969-12-31 23:59:59
    ]

    @Test(arguments: Self.months)
    func monthsAreCalendarMonths(time: Int64, start: Int64, end: Int64) {
        #expect(RateLimitPeriod.month.window(containing: time) == (start, end))
    }

    @Test func yearsAreCalendarYears() {
        #expect(RateLimitPeriod.year.window(containing: Self.newYear2026 + 1) == (Self.newYear2026, 1_798_761_600))
        #expect(RateLimitPeriod.year.window(containing: 1_709_251_200) == (1_704_067_200, 1_735_689_600))  // 2024: 366 days
        #expect(RateLimitPeriod.year.window(containing: Self.newYear2026 - 1) == (1_735_689_600, Self.newYear2026))
    }

    @Test func calendarRoundTripsEveryDayOfFourCenturies() {
        var days = UTCCalendar.days(year: 1900, month: 1, day: 1)
        for year: Int64 in 1900..<2300 {
            for month: Int64 in 1...12 {
                let length: Int64 =
                    switch month {
                    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
                    case 4, 6, 9, 11: 30
                    default: 31
                    }
                for day in 1...length {
                    let date = UTCCalendar.date(days: days)
                    guard UTCCalendar.days(year: year, month: month, day: day) == days, date == (year, month, day) else {
                        Issue.record("day \(days) is \(date), expected \((year, month, day))")
                        return
                    }
                    days += 1
                }
            }
        }
    }

    @Test func floorDivisionRoundsDown() {
        #expect(UTCCalendar.floorDivide(7, 2) == 3)
        #expect(UTCCalendar.floorDivide(-7, 2) == -4)
        #expect(UTCCalendar.floorDivide(-8, 2) == -4)
    }
}
