import Foundation
import Logging
import NIOHTTP1
import NIOPosix

@testable import Gateway

extension AdminAPI {
    /// The admin API of `configuration` compiled with `plugins`, with no listener and no directory to reload from
    /// (unless `source`).
    static func testing(
        _ configuration: GatewayConfiguration,
        plugins: PluginRegistry = PluginRegistry([]),
        source: ConfigLoader? = nil,
        readiness: Readiness = Readiness()
    ) throws -> AdminAPI {
        let runtimes = GatewayRuntimeHolder(try GatewayRuntime(configuration: configuration, plugins: plugins))
        var logger = Logger(label: "admin-api-tests")
        logger.logLevel = .critical
        let group = MultiThreadedEventLoopGroup.singleton
        let upstreams = UpstreamRegistry(group: group, resolver: DNSResolver(group: group, nameServers: [], hosts: HostsFile(contents: "")))
        upstreams.apply(configuration)
        return AdminAPI(
            runtimes: runtimes,
            statistics: ConnectionStatistics(),
            metrics: .disabled,
            reloader: ConfigReloader(
                source: source, runtimes: runtimes, statistics: ReloadStatistics(), logger: logger),
            readiness: readiness,
            upstreams: upstreams,
            startedAt: Date()
        )
    }

    /// The admin listener's answer to `method path`.
    func answer(_ method: HTTPMethod, _ path: String) async -> AdminAnswer {
        await self.adminRoutes.answer(
            AdminRequest(method: method, path: path, eventLoop: MultiThreadedEventLoopGroup.singleton.next()))
    }

    /// The answer's body as text.
    func text(_ method: HTTPMethod, _ path: String) async -> String {
        String(decoding: await self.answer(method, path).body, as: UTF8.self)
    }
}
