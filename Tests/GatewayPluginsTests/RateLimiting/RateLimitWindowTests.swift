import Testing

@testable import GatewayPlugins

@Suite struct RateLimitWindowTests {
    /// 2026-01-01 00:00:00 UTC.
    private static let start = 1_767_225_600.0

    @Test func fixedWindowsWeighNothingAndExpireAtTheirEnd() {
        let window = RateLimitWindow(RateLimit(.minute, 10), at: Self.start + 15.25, sliding: false)
        #expect(window.start == Int64(Self.start))
        #expect(window.end == Int64(Self.start) + 60)
        #expect(window.previousStart == Int64(Self.start) - 60)
        #expect(window.previousWeight == 0)
        #expect(window.counterExpiry == window.end)
        #expect(window.used(current: 3, previous: 100) == 3)
        #expect(window.admits(current: 9, previous: 100))
        #expect(!window.admits(current: 10, previous: 0))
    }

    @Test func slidingWindowsWeighTheOverlapWithThePreviousWindow() {
        let window = RateLimitWindow(RateLimit(.minute, 10), at: Self.start + 15, sliding: true)
        #expect(window.previousWeight == 750_000)
        #expect(window.counterExpiry == window.end + 60)
        // 10 x 0.75 = 7.5, rounded up.
        #expect(window.used(current: 1, previous: 10) == 9)
        #expect(window.admits(current: 1, previous: 10))
        #expect(!window.admits(current: 2, previous: 10))
        #expect(window.used(current: 0, previous: 4) == 3)
        // At the window's first millisecond the previous window counts in full; at its last, almost nothing.
        #expect(RateLimitWindow(RateLimit(.minute, 1), at: Self.start, sliding: true).previousWeight == 1_000_000)
        #expect(RateLimitWindow(RateLimit(.minute, 1), at: Self.start + 59.999, sliding: true).previousWeight == 17)
        #expect(RateLimitWindow(RateLimit(.second, 1), at: Self.start + 0.5, sliding: true).previousWeight == 500_000)
    }

    @Test func slidingMonthsWeighByTheLengthOfTheirMonth() {
        // 2026-02-15 00:00:00: 14 of February's 28 days are left.
        let window = RateLimitWindow(RateLimit(.month, 100), at: 1_769_904_000 + 14 * 86_400, sliding: true)
        #expect(window.previousWeight == 500_000)
        #expect(window.previousStart == 1_767_225_600)
        #expect(window.counterExpiry == 1_772_323_200 + 31 * 86_400)
    }

    @Test func hugeCountsSaturateRatherThanOverflow() {
        let window = RateLimitWindow(RateLimit(.minute, Int.max), at: Self.start + 1, sliding: true)
        #expect(window.used(current: 1, previous: Int.max) == Int.max)
        #expect(window.used(current: Int.max, previous: 1) == Int.max)
        #expect(!window.admits(current: Int.max, previous: 0))
    }

    @Test func decisionCountsInEveryWindowOrInNone() {
        let windows = [
            RateLimitWindow(RateLimit(.second, 2), at: Self.start, sliding: false),
            RateLimitWindow(RateLimit(.minute, 5), at: Self.start, sliding: false),
        ]
        let admitted = RateLimitDecision(windows: windows, counts: [(1, 0), (3, 0)])
        #expect(admitted.admitted)
        #expect(admitted.usages.map(\.current) == [2, 4])
        #expect(admitted.usages.map(\.remaining) == [0, 1])
        let refused = RateLimitDecision(windows: windows, counts: [(2, 0), (3, 0)])
        #expect(!refused.admitted)
        #expect(refused.usages.map(\.current) == [2, 3])
        #expect(refused.usages.map(\.remaining) == [0, 2])
    }

    @Test func resetIsTheWindowsEndOrWhenOneMoreRequestFits() {
        func reset(_ limit: Int, sliding: Bool, at offset: Double, current: Int, previous: Int) -> Int {
            let window = RateLimitWindow(RateLimit(.minute, limit), at: Self.start + offset, sliding: sliding)
            return RateLimitUsage(window: window, current: current, previous: previous).secondsToReset
        }
        #expect(reset(10, sliding: false, at: 15.5, current: 10, previous: 0) == 45)
        #expect(reset(10, sliding: false, at: 59.99, current: 1, previous: 0) == 1)
        // Room left in a sliding window: its end.
        #expect(reset(10, sliding: true, at: 15, current: 1, previous: 4) == 45)
        // Full because of the previous window: 10 x (60 - e) / 60 <= 5 once e >= 30, 15 s from now.
        #expect(reset(10, sliding: true, at: 15, current: 4, previous: 10) == 15)
        // Full in this window: its end, then 10 x (60 - e) / 60 <= 9 once e >= 6 in the next.
        #expect(reset(10, sliding: true, at: 15, current: 10, previous: 3) == 51)
    }
}
