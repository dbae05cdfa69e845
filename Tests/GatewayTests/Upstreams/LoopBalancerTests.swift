import NIOCore
import Testing

@testable import Gateway

@Suite struct LoopBalancerTests {
    private static func balancer(_ algorithm: Upstream.Algorithm, weights: [Int] = [100, 100, 100]) -> LoopBalancer {
        let targets = weights.enumerated().map { Target(host: "10.0.0.\($0.offset + 1)", port: 80, weight: $0.element) }
        return LoopBalancer(health: UpstreamHealth(serviceName: "s", upstream: Upstream(targets: targets, algorithm: algorithm)))
    }

    @Test func leastConnectionsPicksTheTargetWithFewestRequestsInFlight() {
        let balancer = Self.balancer(.leastConnections)
        let first = balancer.pick(hashKey: nil, tried: TriedTargets())!.index
        balancer.attemptStarted(first)
        let second = balancer.pick(hashKey: nil, tried: TriedTargets())!.index
        balancer.attemptStarted(second)
        let third = balancer.pick(hashKey: nil, tried: TriedTargets())!.index
        balancer.attemptStarted(third)
        #expect(Set([first, second, third]) == [0, 1, 2])
        balancer.attemptEnded(second, latency: nil)
        #expect(balancer.pick(hashKey: nil, tried: TriedTargets())!.index == second)
    }

    @Test func leastConnectionsWeighsTheCount() {
        let balancer = Self.balancer(.leastConnections, weights: [300, 100])
        // Target 0 may have three in flight for each of target 1's.
        for _ in 0..<3 { balancer.attemptStarted(0) }
        balancer.attemptStarted(1)
        balancer.attemptStarted(1)
        #expect(balancer.pick(hashKey: nil, tried: TriedTargets())!.index == 0)
    }

    @Test func latencyPrefersTheFasterTarget() {
        let balancer = Self.balancer(.latency, weights: [100, 100])
        let now = NIODeadline.now()
        balancer.attemptStarted(0)
        balancer.attemptEnded(0, latency: .milliseconds(80), now: now)
        balancer.attemptStarted(1)
        balancer.attemptEnded(1, latency: .milliseconds(5), now: now)
        let picks = (0..<10).map { _ in balancer.pick(hashKey: nil, tried: TriedTargets())!.index }
        #expect(picks.allSatisfy { $0 == 1 })
    }

    @Test func retriesPreferTargetsNotTriedYet() {
        let balancer = Self.balancer(.roundRobin)
        let first = balancer.pick(hashKey: nil, tried: TriedTargets())!.index
        var tried = TriedTargets()
        tried.insert(first)
        let second = balancer.pick(hashKey: nil, tried: tried)!.index
        #expect(second != first)
        tried.insert(second)
        let third = balancer.pick(hashKey: nil, tried: tried)!.index
        #expect(![first, second].contains(third))
        tried.insert(third)
        // Every target tried: the retry goes round them again rather than failing.
        #expect(balancer.pick(hashKey: nil, tried: tried) != nil)
    }

    @Test func unhealthyTargetsArePassedOverAndNoneLeftPicksNothing() {
        let balancer = Self.balancer(.consistentHashing)
        balancer.health.targets[0].set(healthy: false, reason: "test")
        balancer.health.targets[2].set(healthy: false, reason: "test")
        for key in ["a", "b", "c", "d", "e"] {
            #expect(balancer.pick(hashKey: key, tried: TriedTargets())?.index == 1)
        }
        balancer.health.targets[1].set(healthy: false, reason: "test")
        #expect(balancer.pick(hashKey: "a", tried: TriedTargets()) == nil)
    }

    @Test func belowTheThresholdTheUpstreamTakesNoTraffic() {
        let targets = (1...4).map { Target(host: "10.0.0.\($0)", port: 80) }
        var upstream = Upstream(targets: targets)
        upstream.healthchecks.threshold = 60
        let balancer = LoopBalancer(health: UpstreamHealth(serviceName: "s", upstream: upstream))
        balancer.health.targets[0].set(healthy: false, reason: "test")
        #expect(balancer.pick(hashKey: nil, tried: TriedTargets()) != nil)
        balancer.health.targets[1].set(healthy: false, reason: "test")
        #expect(balancer.pick(hashKey: nil, tried: TriedTargets()) == nil)
    }
}

@Suite struct TriedTargetsTests {
    @Test func remembersIndexesBelowAndBeyond64() {
        var tried = TriedTargets()
        #expect(tried.isEmpty)
        for index in [0, 5, 63, 64, 200] { tried.insert(index) }
        for index in [0, 5, 63, 64, 200] { #expect(tried.contains(index)) }
        for index in [1, 62, 65, 199] { #expect(!tried.contains(index)) }
        #expect(!tried.isEmpty)
    }
}
