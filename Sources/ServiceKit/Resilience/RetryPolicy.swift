/// Retries with exponential backoff and jitter, for calls to another service: the first retry waits about
/// `initialDelay`, each further one twice as long up to `maximumDelay`; each wait is drawn from its upper half, so
/// that callers that failed together do not retry together.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included (1: no retries).
    public var maximumAttempts: Int
    /// The wait before the first retry.
    public var initialDelay: Duration
    /// The longest wait.
    public var maximumDelay: Duration

    /// A policy.
    public init(maximumAttempts: Int, initialDelay: Duration, maximumDelay: Duration) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// Three attempts, 100 ms then 200 ms apart (give or take the jitter), at most 2 s.
    public static let standard = RetryPolicy(
        maximumAttempts: 3, initialDelay: .milliseconds(100), maximumDelay: .seconds(2))

    /// The longest wait after failed attempt `attempt` (1 for the first): `initialDelay` doubled per attempt,
    /// at most `maximumDelay`.
    public func ceiling(afterAttempt attempt: Int) -> Duration {
        var delay = self.initialDelay
        for _ in 1..<max(1, attempt) {
            delay *= 2
            if delay >= self.maximumDelay { return self.maximumDelay }
        }
        return min(delay, self.maximumDelay)
    }

    /// The wait after failed attempt `attempt`: between half the ceiling and the ceiling, at random.
    public func delay(afterAttempt attempt: Int) -> Duration {
        let ceiling = self.ceiling(afterAttempt: attempt)
        return ceiling / 2 + ceiling / 2 * Double.random(in: 0...1)
    }

    /// The wait after failed attempt `attempt` when the other side asked for `requested` (an HTTP `Retry-After`):
    /// the longer of the backoff and `requested`, the latter at most `maximumDelay`.
    public func delay(afterAttempt attempt: Int, requested: Duration?) -> Duration {
        let backoff = self.delay(afterAttempt: attempt)
        guard let requested else { return backoff }
        return max(backoff, min(requested, self.maximumDelay))
    }

    /// Runs `operation` (given the attempt's number, from 1) until it succeeds, `retryable` says an error is final,
    /// or the attempts are spent; then throws the last error. `requestedDelay` reads the wait an error asks for
    /// (see `delay(afterAttempt:requested:)`). A cancelled task stops waiting and throws.
    public func run<Result: Sendable>(
        retryable: (any Error) -> Bool, requestedDelay: (any Error) -> Duration? = { _ in nil },
        _ operation: (Int) async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await operation(attempt)
            } catch {
                guard attempt < self.maximumAttempts, retryable(error) else { throw error }
                try await Task.sleep(for: self.delay(afterAttempt: attempt, requested: requestedDelay(error)))
                attempt += 1
            }
        }
    }
}
