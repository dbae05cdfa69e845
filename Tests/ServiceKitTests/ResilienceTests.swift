import NIOConcurrencyHelpers
import ServiceKit
import Testing

@Suite struct CircuitBreakerStateMachineTests {
    typealias Machine = CircuitBreaker.StateMachine
    let start = ContinuousClock.now

    @Test func opensAfterTheThresholdOfFailuresInARow() {
        var machine = Machine(failureThreshold: 3, openDuration: .seconds(10))
        #expect(machine.acquire(now: self.start) == .allow)
        machine.failed(now: self.start)
        machine.failed(now: self.start)
        machine.succeeded()
        // A success resets the count.
        machine.failed(now: self.start)
        machine.failed(now: self.start)
        #expect(machine.state == .closed(failures: 2))
        machine.failed(now: self.start)
        #expect(machine.state == .open(until: self.start + .seconds(10)))
        #expect(machine.acquire(now: self.start + .seconds(9)) == .reject)
    }

    @Test func oneTrialAfterTheOpenTimeDecides() {
        var machine = Machine(failureThreshold: 1, openDuration: .seconds(10))
        machine.failed(now: self.start)
        #expect(machine.acquire(now: self.start + .seconds(10)) == .allow)
        #expect(machine.state == .halfOpen)
        // Others wait while the trial runs.
        #expect(machine.acquire(now: self.start + .seconds(10)) == .reject)
        machine.failed(now: self.start + .seconds(11))
        #expect(machine.state == .open(until: self.start + .seconds(21)))
        #expect(machine.acquire(now: self.start + .seconds(20)) == .reject)
        #expect(machine.acquire(now: self.start + .seconds(21)) == .allow)
        machine.succeeded()
        #expect(machine.state == .closed(failures: 0))
        #expect(machine.acquire(now: self.start + .seconds(21)) == .allow)
    }
}

@Suite struct CircuitBreakerTests {
    struct Failure: Error {}
    struct Refusal: Error {}

    @Test func refusesAtOnceWhileOpenAndCountsOnlyFailures() async throws {
        let breaker = CircuitBreaker(name: "dependency", failureThreshold: 2, openDuration: .seconds(3600))
        let calls = NIOLockedValueBox(0)
        func call(_ error: (any Error)?) async throws {
            try await breaker.run(isFailure: { $0 is Failure }) {
                calls.withLockedValue { $0 += 1 }
                if let error { throw error }
            }
        }
        // Refusals the dependency answered on purpose do not open the breaker.
        for _ in 0..<3 { await #expect(throws: Refusal.self) { try await call(Refusal()) } }
        await #expect(throws: Failure.self) { try await call(Failure()) }
        try await call(nil)
        await #expect(throws: Failure.self) { try await call(Failure()) }
        await #expect(throws: Failure.self) { try await call(Failure()) }
        #expect(calls.withLockedValue { $0 } == 7)
        let refused = await #expect(throws: CircuitBreakerOpenError.self) { try await call(nil) }
        #expect(refused?.name == "dependency")
        #expect(calls.withLockedValue { $0 } == 7)
    }
}

@Suite struct RetryPolicyTests {
    struct Transient: Error {}
    struct Final: Error {}

    @Test func delaysDoubleUpToTheMaximumWithJitterBelowTheCeiling() {
        let policy = RetryPolicy(maximumAttempts: 10, initialDelay: .milliseconds(100), maximumDelay: .seconds(1))
        #expect(
            (1...6).map { policy.ceiling(afterAttempt: $0) }
                == [
                    .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1),
                    .seconds(1),
                ])
        for attempt in 1...6 {
            let delay = policy.delay(afterAttempt: attempt)
            let ceiling = policy.ceiling(afterAttempt: attempt)
            #expect(delay >= ceiling / 2 && delay <= ceiling)
        }
    }

    @Test func retriesUntilSuccessOrAFinalErrorOrTheLastAttempt() async throws {
        let policy = RetryPolicy(maximumAttempts: 3, initialDelay: .milliseconds(1), maximumDelay: .milliseconds(2))
        let retryable: (any Error) -> Bool = { $0 is Transient }
        #expect(
            try await policy.run(retryable: retryable) { attempt in
                if attempt < 3 { throw Transient() }
                return attempt
            } == 3)
        let attempts = NIOLockedValueBox(0)
        await #expect(throws: Transient.self) {
            try await policy.run(retryable: retryable) { _ in
                attempts.withLockedValue { $0 += 1 }
                throw Transient()
            }
        }
        #expect(attempts.withLockedValue { $0 } == 3)
        attempts.withLockedValue { $0 = 0 }
        await #expect(throws: Final.self) {
            try await policy.run(retryable: retryable) { _ in
                attempts.withLockedValue { $0 += 1 }
                throw Final()
            }
        }
        #expect(attempts.withLockedValue { $0 } == 1)
    }
}
