import Foundation
import NIOConcurrencyHelpers

/// A clock the test moves: give `now` to a service that takes a clock, then `advance` it past an expiry.
public final class ServiceTestClock: Sendable {
    private let current = NIOLockedValueBox(Date())

    /// A clock at the present moment.
    public init() {}

    /// The clock's time.
    public func now() -> Date { self.current.withLockedValue { $0 } }

    /// Moves the clock `seconds` on.
    public func advance(seconds: Double) {
        self.current.withLockedValue { $0 += seconds }
    }
}
