import NIOCore

/// The upstream state that belongs to one event loop: its connection pool and each service's balancer.
/// Only touched on its loop, so it needs no lock.
final class LoopUpstreams {
    let pool: UpstreamConnectionPool
    private var balancers: [String: (generation: Int, balancer: RoundRobinBalancer)] = [:]

    init(eventLoop: EventLoop) {
        self.pool = UpstreamConnectionPool(eventLoop: eventLoop)
    }

    /// The target for the next attempt at `service`, from the configuration of `generation`.
    func nextTarget(for service: Service, generation: Int) -> Target? {
        if let entry = self.balancers[service.name], entry.generation == generation {
            var balancer = entry.balancer
            let target = balancer.next()
            self.balancers[service.name] = (generation, balancer)
            return target
        }
        var balancer = RoundRobinBalancer(targets: service.upstream.targets)
        let target = balancer.next()
        self.balancers[service.name] = (generation, balancer)
        return target
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
