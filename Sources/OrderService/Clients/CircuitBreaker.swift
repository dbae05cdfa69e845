import NIOConcurrencyHelpers

/// A circuit breaker for one dependency (see `CircuitBreakerStateMachine`): callers ask `permission()` before a
/// call and report how it went. The state changes under a lock that is never held across I/O.
public final class CircuitBreaker: Sendable {
    private let machine: NIOLockedValueBox<CircuitBreakerStateMachine<ContinuousClock.Instant>>

    /// A breaker that opens after `threshold` consecutive failures and tries again after `cooldown`.
    public init(threshold: Int = 5, cooldown: Duration = .seconds(10)) {
        self.machine = NIOLockedValueBox(CircuitBreakerStateMachine(threshold: threshold, cooldown: cooldown))
    }

    /// `nil` when a call may go out; else how long until the circuit tries again.
    func refusal() -> Duration? {
        let now = ContinuousClock.now
        switch self.machine.withLockedValue({ $0.permission(now: now) }) {
        case .allowed: return nil
        case .refused(let retryAfter): return retryAfter
        }
    }

    /// A call answered.
    func recordSuccess() {
        self.machine.withLockedValue { $0.recordSuccess() }
    }

    /// A call failed.
    func recordFailure() {
        let now = ContinuousClock.now
        self.machine.withLockedValue { $0.recordFailure(now: now) }
    }

    /// Whether calls are being refused now.
    public var isOpen: Bool {
        switch self.machine.withLockedValue({ $0.state }) {
        case .open: return true
        case .closed, .halfOpen: return false
        }
    }
}
