import Testing

@testable import OrderService

@Suite struct CircuitBreakerStateMachineTests {
    typealias Machine = CircuitBreakerStateMachine<ContinuousClock.Instant>
    let start = ContinuousClock.now

    @Test func opensAfterTheThresholdOfConsecutiveFailures() {
        var machine = Machine(threshold: 3, cooldown: .seconds(10))
        machine.recordFailure(now: self.start)
        machine.recordFailure(now: self.start)
        #expect(machine.permission(now: self.start) == .allowed)
        machine.recordFailure(now: self.start)
        #expect(machine.permission(now: self.start + .seconds(4)) == .refused(retryAfter: .seconds(6)))
    }

    @Test func aSuccessResetsTheCount() {
        var machine = Machine(threshold: 2, cooldown: .seconds(10))
        machine.recordFailure(now: self.start)
        machine.recordSuccess()
        machine.recordFailure(now: self.start)
        #expect(machine.permission(now: self.start) == .allowed)
        #expect(machine.state == .closed(failures: 1))
    }

    @Test func afterTheCooldownOneTrialCallGoesThrough() {
        var machine = Machine(threshold: 1, cooldown: .seconds(10))
        machine.recordFailure(now: self.start)
        let later = self.start + .seconds(10)
        #expect(machine.permission(now: later) == .allowed)
        #expect(machine.permission(now: later) == .refused(retryAfter: .seconds(10)))
        machine.recordSuccess()
        #expect(machine.permission(now: later) == .allowed)
        #expect(machine.state == .closed(failures: 0))
    }

    @Test func aFailedTrialOpensTheCircuitAgain() {
        var machine = Machine(threshold: 1, cooldown: .seconds(10))
        machine.recordFailure(now: self.start)
        let later = self.start + .seconds(11)
        #expect(machine.permission(now: later) == .allowed)
        machine.recordFailure(now: later)
        #expect(machine.permission(now: later + .seconds(1)) == .refused(retryAfter: .seconds(9)))
        #expect(machine.permission(now: later + .seconds(10)) == .allowed)
    }
}
