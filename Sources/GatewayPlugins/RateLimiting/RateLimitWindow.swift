/// Where a request falls in one configured limit's period: the window it counts in, and (for a sliding window) how
/// much of the previous window's count still weighs.
struct RateLimitWindow: Sendable {
    /// Millionths: the unit of `previousWeight`.
    static let weightScale = 1_000_000

    let period: RateLimitPeriod
    /// Requests allowed in the window.
    let limit: Int
    /// The window's first second and the first second after it (seconds since 1970, UTC).
    let start: Int64
    let end: Int64
    /// The first second of the window before.
    let previousStart: Int64
    /// The share of the previous window's count that still counts, in millionths, rounded up: the part of the
    /// sliding window (one period long, ending now) that overlaps the previous window. 0 for a fixed window.
    let previousWeight: Int
    /// The moment the current window's counter is no longer needed: the window's end, or for a sliding window the
    /// end of the next one (during which it is the previous count).
    let counterExpiry: Int64
    /// Whether the window slides (weighs the previous count).
    let isSliding: Bool
    /// The moment the request was counted, in seconds since 1970.
    let now: Double

    init(_ limit: RateLimit, at now: Double, sliding: Bool) {
        let milliseconds = Int64((now * 1_000).rounded(.down))
        let (start, end) = limit.period.window(containing: UTCCalendar.floorDivide(milliseconds, 1_000))
        self.period = limit.period
        self.limit = limit.limit
        self.start = start
        self.end = end
        self.previousStart = limit.period.window(containing: start - 1).start
        self.now = now
        self.isSliding = sliding
        if sliding {
            let left = (end * 1_000 - milliseconds) * Int64(Self.weightScale)
            let length = (end - start) * 1_000
            self.previousWeight = Int((left + length - 1) / length)
            self.counterExpiry = limit.period.window(containing: end).end
        } else {
            self.previousWeight = 0
            self.counterExpiry = end
        }
    }

    /// What the window has counted: `current` requests in this window and `previous` in the one before, of which
    /// the weighted share counts (rounded up, so that the estimate never undercounts).
    func used(current: Int, previous: Int) -> Int {
        guard previous > 0, self.previousWeight > 0 else { return current }
        let (product, overflow) = previous.multipliedReportingOverflow(by: self.previousWeight)
        guard !overflow else { return Int.max }
        let scale = Self.weightScale
        let weighted = product / scale + (product % scale > 0 ? 1 : 0)
        let (sum, sumOverflow) = current.addingReportingOverflow(weighted)
        return sumOverflow ? Int.max : sum
    }

    /// Whether one more request fits beside these counts.
    func admits(current: Int, previous: Int) -> Bool {
        self.used(current: current, previous: previous) < self.limit
    }
}

/// One configured limit: `minute: 60`.
public struct RateLimit: Sendable, Hashable {
    public var period: RateLimitPeriod
    /// Requests allowed in each window of the period.
    public var limit: Int

    /// `limit` requests per `period`.
    public init(_ period: RateLimitPeriod, _ limit: Int) {
        self.period = period
        self.limit = limit
    }
}
