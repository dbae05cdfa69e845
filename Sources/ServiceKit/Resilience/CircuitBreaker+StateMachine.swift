extension CircuitBreaker {
    /// The breaker's decisions, without a clock of its own: closed while calls succeed; open for `openDuration`
    /// after `failureThreshold` failures in a row (calls refused at once); then half-open, letting one trial call
    /// through, whose success closes it and whose failure opens it again.
    public struct StateMachine: Sendable, Hashable {
        /// Where the breaker is.
        public enum State: Sendable, Hashable {
            /// Calls go through; `failures` in a row so far.
            case closed(failures: Int)
            /// Calls are refused until `until`.
            case open(until: ContinuousClock.Instant)
            /// One trial call is under way; others are refused.
            case halfOpen
        }

        /// What to do with a call.
        public enum Decision: Sendable, Hashable {
            /// Make it.
            case allow
            /// Refuse it without trying.
            case reject
        }

        /// Where the breaker is.
        public private(set) var state: State = .closed(failures: 0)
        let failureThreshold: Int
        let openDuration: Duration

        /// A closed breaker.
        public init(failureThreshold: Int, openDuration: Duration) {
            self.failureThreshold = max(1, failureThreshold)
            self.openDuration = openDuration
        }

        /// Whether a call at `now` may go through.
        public mutating func acquire(now: ContinuousClock.Instant) -> Decision {
            switch self.state {
            case .closed:
                return .allow
            case .open(let until) where now >= until:
                self.state = .halfOpen
                return .allow
            case .open, .halfOpen:
                return .reject
            }
        }

        /// A call that went through succeeded.
        public mutating func succeeded() {
            self.state = .closed(failures: 0)
        }

        /// A call that went through failed at `now`.
        public mutating func failed(now: ContinuousClock.Instant) {
            switch self.state {
            case .closed(let failures) where failures + 1 < self.failureThreshold:
                self.state = .closed(failures: failures + 1)
            case .closed, .halfOpen, .open:
                self.state = .open(until: now + self.openDuration)
            }
        }
    }
}
