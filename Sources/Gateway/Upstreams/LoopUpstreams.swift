import NIOCore

/// The upstream state that belongs to one event loop: its connection pool, each service's balancer, and the
/// read timeouts of the exchanges waiting on upstreams.
/// Only touched on its loop, so it needs no lock.
final class LoopUpstreams {
    let pool: UpstreamConnectionPool
    let readTimeouts: ReadTimeoutWatch
    private var balancers: [String: Balancer] = [:]

    /// A service's balancer on this loop, and the configuration generation it was built from.
    private final class Balancer {
        let generation: Int
        var roundRobin: RoundRobinBalancer

        init(generation: Int, targets: [Target]) {
            self.generation = generation
            self.roundRobin = RoundRobinBalancer(targets: targets)
        }
    }

    init(eventLoop: EventLoop) {
        self.pool = UpstreamConnectionPool(eventLoop: eventLoop)
        self.readTimeouts = ReadTimeoutWatch(eventLoop: eventLoop)
    }

    /// The target for the next attempt at `service`, from the configuration of `generation`.
    func nextTarget(for service: Service, generation: Int) -> Target? {
        let targets = service.upstream.targets
        if targets.count == 1 { return targets[0].weight > 0 ? targets[0] : nil }
        if let balancer = self.balancers[service.name], balancer.generation == generation {
            return balancer.roundRobin.next()
        }
        let balancer = Balancer(generation: generation, targets: targets)
        self.balancers[service.name] = balancer
        return balancer.roundRobin.next()
    }
}

@available(*, unavailable)
extension LoopUpstreams: Sendable {}

/// Every event loop's `LoopUpstreams`, made once when the gateway starts.
final class UpstreamsByLoop: Sendable {
    private let byLoop: [ObjectIdentifier: NIOLoopBoundBox<LoopUpstreams>]

    /// Call from anywhere: each loop's `LoopUpstreams` is made here and handed to its loop, which alone uses it.
    init(group: EventLoopGroup) {
        var byLoop: [ObjectIdentifier: NIOLoopBoundBox<LoopUpstreams>] = [:]
        for loop in group.makeIterator() {
            byLoop[ObjectIdentifier(loop)] = .makeBoxSendingValue(LoopUpstreams(eventLoop: loop), eventLoop: loop)
        }
        self.byLoop = byLoop
    }

    /// The upstreams of `eventLoop`; call on that loop.
    func forLoop(_ eventLoop: EventLoop) -> LoopUpstreams {
        self.byLoop[ObjectIdentifier(eventLoop)]!.value
    }

    /// Closes every idle upstream connection, on each loop.
    func closeIdle() {
        for upstreams in self.byLoop.values {
            upstreams.eventLoop.execute { upstreams.value.pool.closeIdle() }
        }
    }
}
