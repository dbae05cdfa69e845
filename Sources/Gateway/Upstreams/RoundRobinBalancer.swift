/// Smooth weighted round-robin over a service's targets (nginx's algorithm): over every run of
/// `sum(weights)` picks, each target is picked `weight` times, spread out evenly. Targets of weight 0, and targets
/// a pick declares ineligible (unhealthy, already tried), are passed over.
struct RoundRobinBalancer {
    private let weights: [Int]
    private var current: [Int]

    init(targets: [Target]) {
        self.weights = targets.map(\.weight)
        self.current = Array(repeating: 0, count: targets.count)
    }

    /// The index of the next target, or nil when no eligible target has a weight.
    mutating func next(where eligible: (Int) -> Bool = { _ in true }) -> Int? {
        var best = -1
        var totalWeight = 0
        for index in self.weights.indices where self.weights[index] > 0 && eligible(index) {
            self.current[index] += self.weights[index]
            totalWeight += self.weights[index]
            if best < 0 || self.current[index] > self.current[best] { best = index }
        }
        guard best >= 0 else { return nil }
        self.current[best] -= totalWeight
        return best
    }
}
