import NIOCore

/// The upstream state that belongs to one event loop: its connection pool, each service's balancer, and the
/// read timeouts of the exchanges waiting on upstreams; and the registry of the health they all share.
/// Only touched on its loop, so it needs no lock.
final class LoopUpstreams {
    let pool: UpstreamConnectionPool
    let readTimeouts: ReadTimeoutWatch
    let registry: UpstreamRegistry
    private var balancers: [String: (generation: Int, balancer: LoopBalancer)] = [:]

    init(eventLoop: EventLoop, registry: UpstreamRegistry) {
        self.pool = UpstreamConnectionPool(eventLoop: eventLoop)
        self.readTimeouts = ReadTimeoutWatch(eventLoop: eventLoop)
        self.registry = registry
    }

    /// `service`'s balancer on this loop for the configuration of `generation`, made on first use.
    func balancer(for service: Service, generation: Int) -> LoopBalancer {
        if let entry = self.balancers[service.name], entry.generation == generation { return entry.balancer }
        let balancer = LoopBalancer(health: self.registry.health(for: service))
        self.balancers[service.name] = (generation, balancer)
        return balancer
    }
}

@available(*, unavailable)
extension LoopUpstreams: Sendable {}

/// Every event loop's `LoopUpstreams`, made once when the gateway starts.
final class UpstreamsByLoop: Sendable {
    private let byLoop: [ObjectIdentifier: NIOLoopBoundBox<LoopUpstreams>]
    let registry: UpstreamRegistry

    /// Call from anywhere: each loop's `LoopUpstreams` is made here and handed to its loop, which alone uses it.
    init(group: EventLoopGroup, registry: UpstreamRegistry) {
        var byLoop: [ObjectIdentifier: NIOLoopBoundBox<LoopUpstreams>] = [:]
        for loop in group.makeIterator() {
            byLoop[ObjectIdentifier(loop)] = .makeBoxSendingValue(
                LoopUpstreams(eventLoop: loop, registry: registry),
                eventLoop: loop
            )
        }
        self.byLoop = byLoop
        self.registry = registry
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
