/// The circuit breaker's decisions, without clocks or I/O: `closed` counts consecutive failures and opens at
/// `threshold`; `open` refuses every call until `cooldown` has passed; then `halfOpen` lets one trial call
/// through, whose success closes the circuit and whose failure opens it again.
struct CircuitBreakerStateMachine<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    enum State: Sendable, Hashable {
        case closed(failures: Int)
        case open(until: Instant)
        case halfOpen(trialInFlight: Bool)
    }

    /// What to do with a call.
    enum Permission: Sendable, Hashable {
        /// Make it.
        case allowed
        /// Refuse it now; the circuit may let calls through again after this long.
        case refused(retryAfter: Duration)
    }

    private(set) var state: State = .closed(failures: 0)
    let threshold: Int
    let cooldown: Duration

    init(threshold: Int, cooldown: Duration) {
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
    }

    /// Whether a call may go out at `now`.
    mutating func permission(now: Instant) -> Permission {
        switch self.state {
        case .closed:
            return .allowed
        case .open(let until):
            guard now >= until else { return .refused(retryAfter: now.duration(to: until)) }
            self.state = .halfOpen(trialInFlight: true)
            return .allowed
        case .halfOpen(let trialInFlight):
            guard !trialInFlight else { return .refused(retryAfter: self.cooldown) }
            self.state = .halfOpen(trialInFlight: true)
            return .allowed
        }
    }

    /// A call answered.
    mutating func recordSuccess() {
        self.state = .closed(failures: 0)
    }

    /// A call failed (no answer in time, refused connection, 5xx) at `now`.
    mutating func recordFailure(now: Instant) {
        switch self.state {
        case .closed(let failures) where failures + 1 < self.threshold:
            self.state = .closed(failures: failures + 1)
        case .closed, .halfOpen:
            self.state = .open(until: now.advanced(by: self.cooldown))
        case .open:
            break
        }
    }
}
