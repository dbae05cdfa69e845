import Gateway
import NIOConcurrencyHelpers

/// A clock a test sets and moves by hand; plugins read it through `PluginSetup.clock`.
public final class TestClock: GatewayClock {
    private let seconds: NIOLockedValueBox<Double>

    /// A clock reading `now` seconds since 1970 (by default 2026-01-01 00:00:00 UTC).
    public init(now: Double = 1_767_225_600) {
        self.seconds = NIOLockedValueBox(now)
    }

    public func now() -> Double {
        self.seconds.withLockedValue { $0 }
    }

    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: Double) {
        self.seconds.withLockedValue { $0 += seconds }
    }

    /// Sets the clock to `seconds` since 1970.
    public func set(_ seconds: Double) {
        self.seconds.withLockedValue { $0 = seconds }
    }
}
