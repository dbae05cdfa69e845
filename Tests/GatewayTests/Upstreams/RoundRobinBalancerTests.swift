import Testing

@testable import Gateway

@Suite struct RoundRobinBalancerTests {
    private static func targets(_ weights: [Int]) -> [Target] {
        weights.enumerated().map { Target(host: "10.0.0.\($0.offset + 1)", port: 80, weight: $0.element) }
    }

    /// `count` picks, as the indexes of the targets picked (nil when the balancer answered nil).
    private static func picks(_ weights: [Int], count: Int) -> [Int?] {
        let targets = Self.targets(weights)
        var balancer = RoundRobinBalancer(targets: targets)
        return (0..<count).map { _ in balancer.next() }
    }

    @Test(arguments: [
        // nginx's smooth weighted round-robin: weights, one full cycle of picks.
        ([5, 1, 1], [0, 0, 1, 0, 2, 0, 0]),
        ([1, 1, 1], [0, 1, 2]),
        ([2, 1], [0, 1, 0]),
        ([1, 2], [1, 0, 1]),
        ([3, 2], [0, 1, 0, 1, 0]),
        ([4, 2, 1], [0, 1, 0, 2, 0, 1, 0]),
        ([100, 100], [0, 1]),
    ])
    func picksNginxsSmoothSequenceEveryCycle(weights: [Int], cycle: [Int]) {
        // Two cycles: the second repeats the first exactly (the running weights are back to zero).
        #expect(Self.picks(weights, count: cycle.count * 2) == cycle + cycle)
    }

    @Test func picksEachTargetItsWeightTimesPerCycle() {
        let weights = [7, 3, 0, 11, 1]
        let total = weights.reduce(0, +)
        let picks = Self.picks(weights, count: total * 3)
        for (index, weight) in weights.enumerated() {
            for cycle in 0..<3 {
                let slice = picks[(cycle * total)..<((cycle + 1) * total)]
                #expect(slice.filter { $0 == index }.count == weight, "target \(index), cycle \(cycle)")
            }
        }
    }

    @Test func neverPicksATargetOfWeightZero() {
        #expect(Self.picks([0, 1, 0, 2], count: 6) == [3, 1, 3, 3, 1, 3])
        #expect(Self.picks([0, 3], count: 4) == [1, 1, 1, 1])
    }

    @Test func passesOverIneligibleTargetsAndSharesTheRestByWeight() {
        var balancer = RoundRobinBalancer(targets: Self.targets([1, 1, 2]))
        let picks = (0..<6).map { _ in balancer.next { $0 != 1 } }
        #expect(picks.filter { $0 == 0 }.count == 2)
        #expect(picks.filter { $0 == 2 }.count == 4)
        #expect(balancer.next { _ in false } == nil)
    }

    @Test func aSingleTargetIsAlwaysPicked() {
        #expect(Self.picks([10], count: 3) == [0, 0, 0])
    }

    @Test(arguments: [[0], [0, 0, 0], []])
    func noTargetWithAWeightPicksNothing(weights: [Int]) {
        #expect(Self.picks(weights, count: 3) == [nil, nil, nil])
    }
}
