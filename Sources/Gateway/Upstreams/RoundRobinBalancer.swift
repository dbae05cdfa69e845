/// Smooth weighted round-robin over a service's targets (nginx's algorithm): over every run of
/// `sum(weights)` picks, each target is picked `weight` times, spread out evenly. Targets of weight 0 are
/// never picked.
struct RoundRobinBalancer {
    private let targets: [Target]
    private var current: [Int]
    private let totalWeight: Int

    init(targets: [Target]) {
        self.targets = targets
        self.current = Array(repeating: 0, count: targets.count)
        self.totalWeight = targets.reduce(0) { $0 + $1.weight }
    }

    /// The next target, or nil when no target has a weight.
    mutating func next() -> Target? {
        guard self.totalWeight > 0 else { return nil }
        if self.targets.count == 1 { return self.targets[0] }
        var best = -1
        for index in self.targets.indices where self.targets[index].weight > 0 {
            self.current[index] += self.targets[index].weight
            if best < 0 || self.current[index] > self.current[best] { best = index }
        }
        self.current[best] -= self.totalWeight
        return self.targets[best]
    }
}
