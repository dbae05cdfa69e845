import Testing

@testable import Gateway

@Suite struct TargetHealthTests {
    private let healthy = Healthchecks.HealthyRule(httpStatuses: [200, 302], successes: 2)
    private let unhealthy = Healthchecks.UnhealthyRule(
        httpStatuses: [500, 503],
        tcpFailures: 2,
        timeouts: 3,
        httpFailures: 3
    )

    private func report(_ health: TargetHealth, _ outcome: TargetHealth.Outcome) -> Bool? {
        health.report(outcome, from: .passive, healthy: self.healthy, unhealthy: self.unhealthy)
    }

    @Test func httpFailuresInARowMakeATargetUnhealthy() {
        let health = TargetHealth(target: Target(host: "10.0.0.1", port: 80))
        #expect(self.report(health, .answered(status: 500)) == nil)
        #expect(self.report(health, .answered(status: 503)) == nil)
        #expect(self.report(health, .answered(status: 500)) == false)
        #expect(!health.isHealthy)
        #expect(health.snapshot.reason == "passive check: 3 HTTP failures in a row (last status 500)")
    }

    @Test func aSuccessStartsTheFailureCountAgain() {
        let health = TargetHealth(target: Target(host: "10.0.0.1", port: 80))
        _ = self.report(health, .answered(status: 500))
        _ = self.report(health, .answered(status: 500))
        _ = self.report(health, .answered(status: 200))
        _ = self.report(health, .answered(status: 500))
        _ = self.report(health, .answered(status: 500))
        #expect(health.isHealthy)
    }

    @Test func statusesInNeitherListAreNotCounted() {
        let health = TargetHealth(target: Target(host: "10.0.0.1", port: 80))
        _ = self.report(health, .answered(status: 500))
        _ = self.report(health, .answered(status: 500))
        _ = self.report(health, .answered(status: 404))
        #expect(self.report(health, .answered(status: 500)) == false)
    }

    @Test func tcpFailuresAndTimeoutsHaveTheirOwnCounts() {
        let health = TargetHealth(target: Target(host: "10.0.0.1", port: 80))
        #expect(self.report(health, .tcpFailure) == nil)
        #expect(self.report(health, .tcpFailure) == false)
        let other = TargetHealth(target: Target(host: "10.0.0.2", port: 80))
        _ = self.report(other, .timeout)
        _ = self.report(other, .timeout)
        #expect(other.isHealthy)
        #expect(self.report(other, .timeout) == false)
        #expect(other.snapshot.reason == "passive check: 3 timeouts in a row")
    }

    @Test func successesInARowMakeItHealthyAgain() {
        let health = TargetHealth(target: Target(host: "10.0.0.1", port: 80))
        _ = self.report(health, .tcpFailure)
        _ = self.report(health, .tcpFailure)
        #expect(self.report(health, .answered(status: 200)) == nil)
        #expect(self.report(health, .answered(status: 302)) == true)
        #expect(health.isHealthy)
    }

    @Test func aCountOfZeroSwitchesItsRuleOff() {
        let health = TargetHealth(target: Target(host: "10.0.0.1", port: 80))
        let off = Healthchecks.UnhealthyRule(httpStatuses: [500])
        for _ in 0..<100 {
            health.report(.answered(status: 500), from: .passive, healthy: self.healthy, unhealthy: off)
            health.report(.tcpFailure, from: .passive, healthy: self.healthy, unhealthy: off)
        }
        #expect(health.isHealthy)
    }

    @Test func activeProbesAreRecorded() {
        let health = TargetHealth(target: Target(host: "10.0.0.1", port: 80))
        health.report(.answered(status: 204), from: .active, healthy: self.healthy, unhealthy: self.unhealthy)
        #expect(health.snapshot.lastProbe == "status 204")
        #expect(health.snapshot.lastProbeAt != nil)
    }
}
