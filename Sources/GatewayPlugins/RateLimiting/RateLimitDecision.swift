/// What a policy decided for one request: whether it was admitted (and counted in every window) or refused
/// (and counted in none), and what each configured window holds afterwards.
struct RateLimitDecision: Sendable {
    let admitted: Bool
    /// One per configured limit, in the configuration's order (shortest period first).
    let usages: [RateLimitUsage]

    /// Decides on the counts each window holds before the request: admitted when it fits in every window, and
    /// then counted in each.
    init(windows: [RateLimitWindow], counts: [(current: Int, previous: Int)]) {
        let admitted = zip(windows, counts).allSatisfy { $0.admits(current: $1.current, previous: $1.previous) }
        self.init(windows: windows, counts: counts, admitted: admitted)
    }

    /// The decision `admitted`, taken elsewhere (by the Redis script) on the counts each window held before.
    init(windows: [RateLimitWindow], counts: [(current: Int, previous: Int)], admitted: Bool) {
        self.admitted = admitted
        self.usages = zip(windows, counts).map { window, count in
            RateLimitUsage(window: window, current: count.current + (admitted ? 1 : 0), previous: count.previous)
        }
    }
}

/// What one window holds after a request was decided.
struct RateLimitUsage: Sendable {
    let window: RateLimitWindow
    /// Requests counted in the window (this one too, when it was admitted).
    let current: Int
    /// Requests counted in the window before.
    let previous: Int

    /// The requests that still fit in the window now.
    var remaining: Int { max(0, self.window.limit - self.window.used(current: self.current, previous: self.previous)) }

    /// Seconds, at least 1, until the window ends; when nothing remains, until one more request would fit (for a
    /// sliding window, once enough of the weighed counts slid out of it, if nothing else is counted meanwhile).
    var secondsToReset: Int {
        let window = self.window
        var wait = Double(window.end) - window.now
        if self.remaining == 0, window.isSliding {
            let limit = Double(window.limit)
            if self.current < window.limit, self.previous > 0 {
                // This window's count leaves room once the previous window's weighed share shrinks enough.
                let length = Double(window.end - window.start)
                let elapsed = window.now - Double(window.start)
                wait = length * (1 - (limit - Double(self.current) - 1) / Double(self.previous)) - elapsed
            } else if self.current > 0 {
                // Wait for the next window, where this window's count is the previous one and weighs less and less.
                let nextLength = Double(window.counterExpiry - window.end)
                wait += nextLength * max(0, 1 - (limit - 1) / Double(self.current))
            }
        }
        return max(1, Int(wait.rounded(.up)))
    }
}
