import NIOCore

/// The wait before each reconnect attempt: `initial` after the first failed attempt, doubling after each further
/// failure, never more than `maximum`. Commands sent while the client waits fail at once with
/// ``RedisError/Code/connectionFailed``.
public struct RedisReconnectBackoff: Sendable, Hashable {
    /// The wait after the first failed attempt.
    public var initial: TimeAmount
    /// The longest wait between attempts.
    public var maximum: TimeAmount

    public init(initial: TimeAmount = .milliseconds(100), maximum: TimeAmount = .seconds(5)) {
        precondition(initial.nanoseconds > 0 && maximum >= initial, "a backoff needs 0 < initial <= maximum")
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait before the next attempt after `failures` failed attempts in a row (1 or more).
    func delay(afterFailures failures: Int) -> TimeAmount {
        let doublings = min(max(failures - 1, 0), 62)
        let (delay, overflow) = self.initial.nanoseconds.multipliedReportingOverflow(by: Int64(1) << doublings)
        return overflow ? self.maximum : min(.nanoseconds(delay), self.maximum)
    }
}
