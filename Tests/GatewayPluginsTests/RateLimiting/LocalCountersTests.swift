import Testing

@testable import GatewayPlugins

@Suite struct LocalCountersTests {
    private static let start = 1_767_225_600.0

    private static func minute(at offset: Double) -> RateLimitWindow {
        RateLimitWindow(RateLimit(.minute, 100), at: Self.start + offset, sliding: true)
    }

    @Test func countsMoveToPreviousWhenTheNextWindowStarts() {
        var counters = LocalCounters.empty
        for _ in 0..<3 {
            let window = Self.minute(at: 10)
            counters = counters.counting([window], counts: [counters.counts(in: window)])
        }
        #expect(counters.counts(in: Self.minute(at: 59)) == (3, 0))
        #expect(counters.counts(in: Self.minute(at: 60)) == (0, 3))
        #expect(counters.counts(in: Self.minute(at: 120)) == (0, 0))
        let next = Self.minute(at: 70)
        counters = counters.counting([next], counts: [counters.counts(in: next)])
        #expect(counters.counts(in: Self.minute(at: 71)) == (1, 3))
    }

    /// A request whose clock reading is older than the newest window counted counts in that window, so that no
    /// count is lost to a request that read the clock just before another crossed into the next window.
    @Test func aLateRequestCountsInTheNewestWindow() {
        let new = Self.minute(at: 60)
        var counters = LocalCounters.empty.counting([new], counts: [(0, 5)])
        let late = Self.minute(at: 59.9)
        #expect(counters.counts(in: late) == (1, 5))
        counters = counters.counting([late], counts: [counters.counts(in: late)])
        #expect(counters.counts(in: Self.minute(at: 61)) == (2, 5))
    }

    @Test func countersExpireOnceNoWindowNeedsThem() {
        let window = Self.minute(at: 10)
        let counters = LocalCounters.empty.counting([window], counts: [(0, 0)])
        let start = Int64(Self.start)
        // The next minute still weighs this one.
        #expect(!counters.isExpired(at: start + 119))
        #expect(counters.isExpired(at: start + 120))
        #expect(LocalCounters.empty.isExpired(at: start))
        let hour = RateLimitWindow(RateLimit(.hour, 100), at: Self.start, sliding: false)
        let both = counters.counting([hour], counts: [(0, 0)])
        #expect(!both.isExpired(at: start + 3_600))
        #expect(both.isExpired(at: start + 7_200))
    }
}
