import NIOConcurrencyHelpers

/// Stops calling a dependency that keeps failing: after `failureThreshold` failures in a row, calls fail at once
/// with `CircuitBreakerOpenError` for `openDuration`, then one trial call decides whether it closes again (see
/// `StateMachine`). Share one breaker per dependency.
public final class CircuitBreaker: Sendable {
    /// The dependency's name, for errors and logs.
    public let name: String
    private let machine: NIOLockedValueBox<StateMachine>

    /// A closed breaker for `name`.
    public init(name: String, failureThreshold: Int = 5, openDuration: Duration = .seconds(30)) {
        self.name = name
        self.machine = NIOLockedValueBox(StateMachine(failureThreshold: failureThreshold, openDuration: openDuration))
    }

    /// Where the breaker is now.
    public var state: StateMachine.State { self.machine.withLockedValue { $0.state } }

    /// Runs `operation` unless the breaker is open; an error for which `isFailure` is true counts against the
    /// dependency (others, such as a refusal the dependency answered on purpose, count as successes).
    ///
    /// - Throws: `CircuitBreakerOpenError` when open; else what `operation` throws.
    public func run<Result: Sendable>(
        isFailure: (any Error) -> Bool = { _ in true }, _ operation: () async throws -> Result
    ) async throws -> Result {
        let decision = self.machine.withLockedValue { $0.acquire(now: .now) }
        guard decision == .allow else { throw CircuitBreakerOpenError(name: self.name) }
        do {
            let result = try await operation()
            self.machine.withLockedValue { $0.succeeded() }
            return result
        } catch {
            if isFailure(error) {
                self.machine.withLockedValue { $0.failed(now: .now) }
            } else {
                self.machine.withLockedValue { $0.succeeded() }
            }
            throw error
        }
    }
}

/// A call refused because the dependency's circuit breaker is open.
public struct CircuitBreakerOpenError: Error, Sendable, CustomStringConvertible {
    /// The dependency.
    public let name: String

    public var description: String { "\(self.name) is failing; calls are paused (circuit breaker open)" }
}
