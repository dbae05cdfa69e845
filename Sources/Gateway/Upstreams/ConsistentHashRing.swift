/// A ring of points, each placed by a stable hash of its target and number. A target's number of points follows from
/// its own weight alone (`weight × slots / 5000`: 200 for Kong's defaults), so adding or removing one of N targets
/// leaves every other target's points where they were, and moves only the keys of the points that target brings or
/// takes: about 1/N of them.
struct ConsistentHashRing {
    private struct Point {
        var position: UInt64
        var target: Int
    }

    private let points: [Point]

    /// `targets` with their weights; targets of weight 0 get no point.
    init(targets: [Target], slots: Int) {
        var points: [Point] = []
        for (index, target) in targets.enumerated() where target.weight > 0 {
            let count = max(1, target.weight * slots / 5000)
            let name = target.description
            for number in 0..<count {
                points.append(Point(position: StableHash.hash("\(name)#\(number)"), target: index))
            }
        }
        self.points = points.sorted { $0.position < $1.position }
    }

    /// The target for `key`: the owner of the first point at or after the key's hash, walking on past targets that
    /// `eligible` refuses; nil when it refuses them all.
    func target(for key: some StringProtocol, where eligible: (Int) -> Bool) -> Int? {
        guard !self.points.isEmpty else { return nil }
        let hash = StableHash.hash(key)
        var low = 0
        var high = self.points.count
        while low < high {
            let middle = (low + high) / 2
            if self.points[middle].position < hash { low = middle + 1 } else { high = middle }
        }
        for step in 0..<self.points.count {
            let target = self.points[(low + step) % self.points.count].target
            if eligible(target) { return target }
        }
        return nil
    }
}
