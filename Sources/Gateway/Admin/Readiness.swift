import Atomics

/// Whether the gateway should get traffic, for `GET /status/ready`: ready once a configuration is loaded and its
/// listeners accept, not any more once it drains for a stop.
public final class Readiness: Sendable {
    public enum State: UInt8, Sendable, AtomicValue {
        case starting
        case ready
        case draining
    }

    private let state = ManagedAtomic(State.starting)

    public init() {}

    public var current: State { self.state.load(ordering: .acquiring) }

    func markReady() {
        _ = self.state.compareExchange(expected: .starting, desired: .ready, ordering: .acquiringAndReleasing)
    }

    func markDraining() {
        self.state.store(.draining, ordering: .releasing)
    }
}
