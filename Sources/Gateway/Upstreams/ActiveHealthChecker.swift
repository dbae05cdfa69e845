import NIOConcurrencyHelpers
import NIOCore

/// Probes an upstream's targets on a schedule (Kong's active health checks): healthy targets every
/// `healthy.interval` seconds and unhealthy ones every `unhealthy.interval` (an interval of 0 leaves them unprobed),
/// at most `concurrency` probes at once, a target never probed twice at the same time.
final class ActiveHealthChecker: UpstreamBackgroundTask {
    private struct State {
        var stopped = false
        var timers: [RepeatedTask] = []
        var probing: Set<Int> = []
    }

    private let health: UpstreamHealth
    private let loop: any EventLoop
    private let state = NIOLockedValueBox(State())

    private init(health: UpstreamHealth, loop: any EventLoop) {
        self.health = health
        self.loop = loop
    }

    /// Starts probing `health`'s targets from `loop`.
    static func start(_ health: UpstreamHealth, on loop: any EventLoop) -> ActiveHealthChecker {
        let checker = ActiveHealthChecker(health: health, loop: loop)
        let active = health.upstream.healthchecks.active
        if active.healthy.interval > 0 { checker.schedule(healthy: true, every: active.healthy.interval) }
        if active.unhealthy.interval > 0 { checker.schedule(healthy: false, every: active.unhealthy.interval) }
        return checker
    }

    func stop() {
        self.state.withLockedValue { state in
            state.stopped = true
            for timer in state.timers { timer.cancel(promise: nil) }
            state.timers = []
        }
    }

    /// Probes the targets whose health is `healthy` now and every `interval` seconds.
    private func schedule(healthy: Bool, every interval: Double) {
        let period = TimeAmount.nanoseconds(Int64(interval * 1e9))
        let timer = self.loop.scheduleRepeatedTask(initialDelay: .zero, delay: period) { _ in
            self.probe(where: healthy)
        }
        self.state.withLockedValue { state in
            if state.stopped { timer.cancel(promise: nil) } else { state.timers.append(timer) }
        }
    }

    /// Probes every target whose health is `healthy` and is not being probed already.
    private func probe(where healthy: Bool) {
        let due = self.health.targets.indices.filter { index in
            self.health.targets[index].isHealthy == healthy && self.health.upstream.targets[index].weight > 0
        }
        let started = self.state.withLockedValue { state -> [Int] in
            guard !state.stopped else { return [] }
            let free = due.filter { !state.probing.contains($0) }
            state.probing.formUnion(free)
            return free
        }
        self.probeInTurn(started[...])
    }

    /// Probes `queue`, `concurrency` at a time.
    private func probeInTurn(_ queue: ArraySlice<Int>) {
        let concurrency = self.health.upstream.healthchecks.active.concurrency
        let lanes = min(concurrency, queue.count)
        guard lanes > 0 else { return }
        let shared = NIOLoopBoundBox.makeBoxSendingValue(queue, eventLoop: self.loop)
        for _ in 0..<lanes { self.probeNext(shared) }
    }

    private func probeNext(_ queue: NIOLoopBoundBox<ArraySlice<Int>>) {
        guard let index = queue.value.popFirst() else { return }
        let target = self.health.upstream.targets[index]
        let addresses = self.health.addresses[index].current.addresses
        let active = self.health.upstream.healthchecks.active
        guard let address = addresses.first else {
            self.finished(index)
            return self.probeNext(queue)
        }
        let host = self.health.upstream.hostHeader ?? target.hostHeader(scheme: "http")
        HealthProbe.run(active, address: Target(host: address, port: target.port), hostHeader: host, on: self.loop)
            .whenSuccess { outcome in
                self.health.targets[index].report(outcome, from: .active, healthy: active.healthy, unhealthy: active.unhealthy)
                self.finished(index)
                self.probeNext(queue)
            }
    }

    private func finished(_ index: Int) {
        self.state.withLockedValue { _ = $0.probing.remove(index) }
    }
}
