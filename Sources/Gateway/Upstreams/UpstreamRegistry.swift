import NIOConcurrencyHelpers
import NIOCore

/// Every service's `UpstreamHealth`, its active health checker and its name resolution, for one gateway. A
/// configuration put in force keeps the state of each service whose upstream is unchanged, starts what new
/// upstreams need, and stops what removed or changed ones had.
final class UpstreamRegistry: Sendable {
    private struct Key: Hashable {
        var serviceName: String
        var upstream: Upstream
    }

    private struct Entry {
        var health: UpstreamHealth
        var tasks: [any UpstreamBackgroundTask]
    }

    private let group: any EventLoopGroup
    private let resolver: DNSResolver
    private let entries = NIOLockedValueBox<[Key: Entry]>([:])
    private let byName = NIOLockedValueBox<[String: UpstreamHealth]>([:])

    init(group: any EventLoopGroup, resolver: DNSResolver) {
        self.group = group
        self.resolver = resolver
    }

    /// Makes the registry match `configuration`'s services.
    func apply(_ configuration: GatewayConfiguration) {
        self.add(configuration)
        self.retain(configuration)
    }

    /// Adds what `configuration`'s services need and the registry lacks, keeping everything else: done before a
    /// configuration is put in force, so that its first request finds its upstreams.
    func add(_ configuration: GatewayConfiguration) {
        self.entries.withLockedValue { entries in
            for service in configuration.services {
                let key = Key(serviceName: service.name, upstream: service.upstream)
                if entries[key] == nil {
                    let health = UpstreamHealth(serviceName: service.name, upstream: service.upstream)
                    entries[key] = Entry(health: health, tasks: self.startTasks(for: health))
                }
            }
        }
    }

    /// Stops and drops what `configuration`'s services do not need: done once it is in force.
    func retain(_ configuration: GatewayConfiguration) {
        let wanted = Set(configuration.services.map { Key(serviceName: $0.name, upstream: $0.upstream) })
        var stopped: [any UpstreamBackgroundTask] = []
        var byName: [String: UpstreamHealth] = [:]
        self.entries.withLockedValue { entries in
            for (key, entry) in entries where !wanted.contains(key) {
                stopped += entry.tasks
                entries[key] = nil
            }
            for key in wanted { byName[key.serviceName] = entries[key]?.health }
        }
        self.byName.withLockedValue { $0 = byName }
        for task in stopped { task.stop() }
    }

    /// The health of `service`'s upstream: the registry's when the service is in force, else (a request of an older
    /// configuration still in flight) a detached one that nothing checks.
    func health(for service: Service) -> UpstreamHealth {
        let key = Key(serviceName: service.name, upstream: service.upstream)
        if let entry = self.entries.withLockedValue({ $0[key] }) { return entry.health }
        let health = UpstreamHealth(serviceName: service.name, upstream: service.upstream)
        for (index, addresses) in health.addresses.enumerated() where addresses.isName {
            // Resolved once, so that the request can still be served.
            self.resolver.resolveOnce(health.upstream.targets[index].host, into: addresses)
        }
        return health
    }

    /// The health of the service named `name` in the configuration in force.
    func health(named name: String) -> UpstreamHealth? {
        self.byName.withLockedValue { $0[name] }
    }

    /// The upstreams of the configuration in force.
    var inForce: [UpstreamHealth] {
        self.byName.withLockedValue { Array($0.values) }
    }

    /// Stops every checker and resolver (at shutdown).
    func stopAll() {
        let tasks = self.entries.withLockedValue { entries in
            defer { entries = [:] }
            return entries.values.flatMap(\.tasks)
        }
        for task in tasks { task.stop() }
    }

    private func startTasks(for health: UpstreamHealth) -> [any UpstreamBackgroundTask] {
        var tasks: [any UpstreamBackgroundTask] = []
        for (index, addresses) in health.addresses.enumerated() where addresses.isName {
            tasks.append(self.resolver.keepResolved(health.upstream.targets[index].host, into: addresses))
        }
        if health.upstream.healthchecks.active.isEnabled {
            tasks.append(ActiveHealthChecker.start(health, on: self.group.next()))
        }
        return tasks
    }
}

/// Work an upstream keeps running in the background (probes, name resolution) until its upstream leaves the
/// configuration.
protocol UpstreamBackgroundTask: Sendable {
    func stop()
}
