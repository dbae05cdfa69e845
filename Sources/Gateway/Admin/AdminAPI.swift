import Foundation
import NIOCore
import NIOHTTP1

/// The admin API's endpoints and their answers, apart from the listener so they can be tested without sockets.
///
/// Lists are answered as Kong answers them, `{"data": [...], "next": null}`; secrets never appear (see
/// `SecretRedaction`). Each answer reads the runtime in force once, so it describes one configuration.
struct AdminAPI: Sendable {
    let runtimes: GatewayRuntimeHolder
    let statistics: ConnectionStatistics
    let metrics: GatewayMetrics
    let reloader: ConfigReloader
    let readiness: Readiness
    /// Every service's upstream health.
    let upstreams: UpstreamRegistry
    let startedAt: Date

    /// The admin listener's endpoints. A new one is one more line here.
    var adminRoutes: AdminRoutes {
        AdminRoutes([
            AdminEndpoint(.GET, "/status") { _ in self.status() },
            AdminEndpoint(.GET, "/status/ready") { _ in self.ready() },
            AdminEndpoint(.GET, "/services") { _ in self.services() },
            AdminEndpoint(.GET, "/routes") { _ in self.routes() },
            AdminEndpoint(.GET, "/plugins") { _ in self.plugins() },
            AdminEndpoint(.GET, "/consumers") { _ in self.consumers() },
            AdminEndpoint(.GET, "/upstreams/{name}/health") { request in self.upstreamHealth(request) },
            AdminEndpoint(.POST, "/upstreams/{name}/targets/{target}/healthy") { request in
                self.setTarget(request, healthy: true)
            },
            AdminEndpoint(.POST, "/upstreams/{name}/targets/{target}/unhealthy") { request in
                self.setTarget(request, healthy: false)
            },
            AdminEndpoint(.GET, "/metrics") { request in await self.prometheusText(on: request.eventLoop) },
            AdminEndpoint(.POST, "/reload") { _ in await self.reload() },
        ])
    }

    /// The status listener's endpoints (`--status-listen`), for orchestrators' probes.
    var statusRoutes: AdminRoutes {
        AdminRoutes([
            AdminEndpoint(.GET, "/status") { _ in self.status() },
            AdminEndpoint(.GET, "/status/ready") { _ in self.ready() },
        ])
    }

    func status() -> AdminAnswer {
        let runtime = self.runtimes.current
        let configuration = runtime.configuration
        return AdminJSON.answer(
            AdminStatus(
                server: .init(
                    connectionsAccepted: self.statistics.connectionsAccepted,
                    connectionsActive: self.statistics.connectionsActive,
                    totalRequests: self.statistics.totalRequests
                ),
                configuration: .init(
                    generation: runtime.generation,
                    loadedAt: self.reloader.statistics.loadedAt,
                    services: configuration.services.count,
                    routes: configuration.routes.count,
                    plugins: configuration.plugins.count,
                    consumers: configuration.consumers.count
                ),
                configurationHash: configuration.contentHash,
                lastReload: self.reloader.statistics.last.map(AdminStatus.Reload.init),
                version: GatewayVersion.string,
                uptimeSeconds: Int(Date().timeIntervalSince(self.startedAt))
            )
        )
    }

    /// 200 while the gateway serves a configuration and is not draining, 503 otherwise.
    func ready() -> AdminAnswer {
        switch self.readiness.current {
        case .ready: return AdminJSON.answer(AdminMessage(message: "ready"))
        case .starting:
            return AdminJSON.answer(AdminMessage(message: "no configuration loaded yet"), status: .serviceUnavailable)
        case .draining: return AdminJSON.answer(AdminMessage(message: "draining"), status: .serviceUnavailable)
        }
    }

    func services() -> AdminAnswer {
        AdminJSON.answer(AdminList(data: self.runtimes.current.configuration.services.map(AdminService.init)))
    }

    /// Routes in the router's priority order, each with its compiled plugin chain in run order.
    func routes() -> AdminAnswer {
        let routes = self.runtimes.current.routesInPriorityOrder.map { AdminRoute($0.route, chain: $0.chain) }
        return AdminJSON.answer(AdminList(data: routes))
    }

    func plugins() -> AdminAnswer {
        AdminJSON.answer(AdminList(data: self.runtimes.current.configuration.plugins.map(AdminPlugin.init)))
    }

    func consumers() -> AdminAnswer {
        AdminJSON.answer(AdminList(data: self.runtimes.current.configuration.consumers.map(AdminConsumer.init)))
    }

    /// The health of each target of the service `name`'s upstream, and why.
    func upstreamHealth(_ request: AdminRequest) -> AdminAnswer {
        guard let name = request.parameters["name"], let health = self.upstreams.health(named: name) else {
            return AdminJSON.answer(AdminMessage(message: "Not found"), status: .notFound)
        }
        return AdminJSON.answer(AdminUpstreamHealth(health))
    }

    /// Kong's manual override: marks a target healthy or unhealthy until checks change it again; 204.
    func setTarget(_ request: AdminRequest, healthy: Bool) -> AdminAnswer {
        guard let name = request.parameters["name"], let health = self.upstreams.health(named: name),
            let target = request.parameters["target"],
            let index = health.upstream.targets.firstIndex(where: { $0.description == target || $0.host == target })
        else {
            return AdminJSON.answer(AdminMessage(message: "Not found"), status: .notFound)
        }
        health.targets[index].set(healthy: healthy, reason: "set \(healthy ? "healthy" : "unhealthy") through the admin API")
        return AdminAnswer(status: .noContent, body: [])
    }

    /// Every event loop's share of the metrics, gathered on their loops.
    func prometheusText(on eventLoop: any EventLoop) async -> AdminAnswer {
        let text = (try? await self.metrics.render(on: eventLoop).get()) ?? ""
        return AdminAnswer(status: .ok, body: Array(text.utf8), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }

    /// Reads the configuration directory again: 200 with the generation now in force, or 400 with every error
    /// (the old configuration keeps serving).
    func reload() async -> AdminAnswer {
        guard self.reloader.source != nil else {
            return AdminJSON.answer(AdminMessage(message: "no configuration directory to reload"), status: .conflict)
        }
        let record = await self.reloader.reload(trigger: .admin)
        switch record.result {
        case .success:
            return AdminJSON.answer(
                AdminReloadAnswer(
                    message: "configuration reloaded", generation: record.generation,
                    configurationHash: record.contentHash)
            )
        case .failure:
            return AdminJSON.answer(
                AdminReloadAnswer(
                    message: "invalid configuration: the one in force keeps serving",
                    generation: record.generation,
                    configurationHash: record.contentHash,
                    errors: record.errors.map(AdminConfigError.init)
                ),
                status: .badRequest
            )
        }
    }
}
