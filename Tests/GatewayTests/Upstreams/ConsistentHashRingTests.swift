import Testing

@testable import Gateway

@Suite struct ConsistentHashRingTests {
    private static func targets(_ count: Int, weight: Int = 100) -> [Target] {
        (0..<count).map { Target(host: "10.0.0.\($0 + 1)", port: 8080, weight: weight) }
    }

    private static let keys = (0..<10_000).map { "user-\($0)" }

    /// The target each key goes to, by name.
    private static func assignments(_ targets: [Target]) -> [String: String] {
        let ring = ConsistentHashRing(targets: targets, slots: 10_000)
        var result: [String: String] = [:]
        for key in Self.keys {
            result[key] = ring.target(for: key) { _ in true }.map { targets[$0].description }
        }
        return result
    }

    @Test func aKeyAlwaysGoesToTheSameTarget() {
        let first = Self.assignments(Self.targets(4))
        let second = Self.assignments(Self.targets(4))
        #expect(first == second)
    }

    @Test func keysAreSpreadByWeight() {
        var targets = Self.targets(3)
        targets[2].weight = 200
        var counts: [String: Int] = [:]
        for target in Self.assignments(targets).values { counts[target, default: 0] += 1 }
        let light = Double(counts[targets[0].description] ?? 0)
        let heavy = Double(counts[targets[2].description] ?? 0)
        // The heavy target owns half the ring: about twice a light one's keys.
        #expect(heavy / light > 1.6 && heavy / light < 2.4, "\(counts)")
    }

    @Test(arguments: [4, 5, 8])
    func addingATargetMovesAboutOneNthOfTheKeys(count: Int) {
        let before = Self.assignments(Self.targets(count))
        let after = Self.assignments(Self.targets(count + 1))
        let moved = Self.keys.filter { before[$0] != after[$0] }
        let share = Double(moved.count) / Double(Self.keys.count)
        let ideal = 1 / Double(count + 1)
        #expect(share > ideal * 0.6 && share < ideal * 1.4, "moved \(share), ideal \(ideal)")
        // Every key that moved went to the new target.
        let added = Self.targets(count + 1)[count].description
        #expect(moved.allSatisfy { after[$0] == added })
    }

    @Test func removingATargetMovesOnlyItsKeys() {
        let before = Self.assignments(Self.targets(5))
        let after = Self.assignments(Array(Self.targets(5).prefix(4)))
        let removed = Self.targets(5)[4].description
        let moved = Self.keys.filter { before[$0] != after[$0] }
        #expect(moved.allSatisfy { before[$0] == removed })
        let share = Double(moved.count) / Double(Self.keys.count)
        #expect(share > 0.2 * 0.6 && share < 0.2 * 1.4, "moved \(share)")
    }

    @Test func anIneligibleTargetsKeysGoToTheNextOnTheRing() {
        let targets = Self.targets(4)
        let ring = ConsistentHashRing(targets: targets, slots: 1000)
        for key in Self.keys.prefix(200) {
            let usual = ring.target(for: key) { _ in true }!
            let other = ring.target(for: key) { $0 != usual }
            #expect(other != nil && other != usual)
        }
        #expect(ring.target(for: "x") { _ in false } == nil)
    }

    @Test func targetsOfWeightZeroGetNoKeys() {
        var targets = Self.targets(3)
        targets[1].weight = 0
        #expect(!Self.assignments(targets).values.contains(targets[1].description))
    }
}
