import NIOCore

/// One service's balancer on one event loop, built from one configuration generation: it picks the target of each
/// attempt by the upstream's algorithm among the targets that are available (healthy and resolved) and not yet
/// tried by the request, and the address within the target. Only touched on its loop.
final class LoopBalancer {
    /// A picked target: its index in the upstream, and the address to connect to.
    struct Pick {
        var index: Int
        var target: Target
        var address: Target
    }

    let health: UpstreamHealth
    private let targets: [Target]
    private let algorithm: Upstream.Algorithm
    private var roundRobin: RoundRobinBalancer
    private let ring: ConsistentHashRing?
    /// Requests in flight to each target from this loop.
    private var active: [Int]
    private var latency: [LatencyAverage]
    /// Each target's addresses as last read, the version read, and the next one to use.
    private var addresses: [[String]]
    private var addressVersions: [Int]
    private var nextAddress: [Int]
    /// Rotates the start of least-connections and latency scans, so ties are spread.
    private var rotation = 0

    init(health: UpstreamHealth) {
        self.health = health
        let upstream = health.upstream
        self.targets = upstream.targets
        self.algorithm = upstream.algorithm
        self.roundRobin = RoundRobinBalancer(targets: upstream.targets)
        self.ring = upstream.algorithm == .consistentHashing ? ConsistentHashRing(targets: upstream.targets, slots: upstream.slots) : nil
        self.active = Array(repeating: 0, count: upstream.targets.count)
        self.latency = Array(repeating: LatencyAverage(), count: upstream.targets.count)
        self.addresses = Array(repeating: [], count: upstream.targets.count)
        self.addressVersions = Array(repeating: -1, count: upstream.targets.count)
        self.nextAddress = Array(repeating: 0, count: upstream.targets.count)
    }

    /// Whether picks need a hash key from the request.
    var hashes: Bool { self.ring != nil && self.health.upstream.hashOn != .none }

    /// The target for the next attempt, preferring targets not in `tried`; nil when no target is available (or the
    /// available ones carry less than the upstream's threshold).
    func pick(hashKey: String?, tried: TriedTargets = TriedTargets()) -> Pick? {
        guard self.health.meetsThreshold() else { return nil }
        let health = self.health
        let targets = self.targets
        var index = self.choose(hashKey: hashKey) { index in
            targets[index].weight > 0 && health.isAvailable(index) && !tried.contains(index)
        }
        if index == nil, !tried.isEmpty {
            // Every available target was tried: retries go round them again.
            index = self.choose(hashKey: hashKey) { index in targets[index].weight > 0 && health.isAvailable(index) }
        }
        guard let index, let address = self.address(of: index) else { return nil }
        return Pick(index: index, target: targets[index], address: Target(host: address, port: targets[index].port))
    }

    /// An attempt to target `index` started.
    func attemptStarted(_ index: Int) {
        self.active[index] += 1
    }

    /// An attempt to target `index` ended; `latency` is how long the target took to answer, when it did.
    func attemptEnded(_ index: Int, latency: TimeAmount?, now: NIODeadline = .now()) {
        self.active[index] -= 1
        if let latency, self.algorithm == .latency { self.latency[index].add(latency, at: now) }
    }

    private func choose(hashKey: String?, where eligible: (Int) -> Bool) -> Int? {
        switch self.algorithm {
        case .roundRobin:
            return self.roundRobin.next(where: eligible)
        case .consistentHashing:
            guard let hashKey, let ring = self.ring else { return self.roundRobin.next(where: eligible) }
            return ring.target(for: hashKey, where: eligible)
        case .leastConnections:
            // The fewest requests in flight for the weight: (active + 1) / weight, compared without division.
            return self.lowest(where: eligible) { index in
                (Double(self.active[index] + 1), Double(self.targets[index].weight))
            }
        case .latency:
            // The fastest for the load: a target not measured yet goes first.
            return self.lowest(where: eligible) { index in
                ((self.latency[index].seconds ?? 0) * Double(self.active[index] + 1), 1)
            }
        }
    }

    /// The eligible target with the lowest `score` (a fraction, numerator and denominator), ties to the first
    /// after a rotating start.
    private func lowest(where eligible: (Int) -> Bool, score: (Int) -> (Double, Double)) -> Int? {
        let count = self.targets.count
        self.rotation = (self.rotation + 1) % max(count, 1)
        var best: Int?
        var bestScore = (0.0, 1.0)
        for step in 0..<count {
            let index = (self.rotation + step) % count
            guard eligible(index) else { continue }
            let candidate = score(index)
            if best == nil || candidate.0 * bestScore.1 < bestScore.0 * candidate.1 {
                best = index
                bestScore = candidate
            }
        }
        return best
    }

    /// The next address of target `index`, round-robin among what its name resolved to.
    private func address(of index: Int) -> String? {
        let source = self.health.addresses[index]
        guard source.isName else { return self.targets[index].host }
        let version = source.version
        if version != self.addressVersions[index] {
            self.addresses[index] = source.current.addresses
            self.addressVersions[index] = version
        }
        let list = self.addresses[index]
        guard !list.isEmpty else { return nil }
        self.nextAddress[index] = (self.nextAddress[index] + 1) % list.count
        return list[self.nextAddress[index]]
    }
}

@available(*, unavailable)
extension LoopBalancer: Sendable {}
