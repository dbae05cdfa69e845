import Logging
import NIOConcurrencyHelpers
import NIOPosix
import Testing

@testable import Gateway

@Suite struct SharedResourcesTests {
    @Test func oneInstancePerKeyAndType() {
        let resources = SharedResources()
        let first = resources.shared("a") { TestResource(name: "a") }
        let again = resources.shared("a") { TestResource(name: "made again") }
        let other = resources.shared("b") { TestResource(name: "b") }
        #expect(first === again)
        #expect(first !== other)
        // The same key for another type is another resource.
        _ = resources.shared("a") { OtherResource() }
        #expect(resources.count == 3)
    }

    @Test func closeClosesNewestFirstAndForgets() async {
        let closings = NIOLockedValueBox<[String]>([])
        let resources = SharedResources()
        let first = resources.shared(1) { TestResource(name: "first", closings: closings) }
        _ = resources.shared(2) { TestResource(name: "second", closings: closings) }
        await resources.close()
        #expect(closings.withLockedValue { $0 } == ["second", "first"])
        #expect(resources.count == 0)
        #expect(resources.shared(1) { TestResource(name: "new", closings: closings) } !== first)
    }

    /// A running gateway gives plugins its event loops and one registry, which a reload keeps and a stop closes.
    @Test func gatewayKeepsResourcesAcrossReloadsAndClosesThemOnStop() async throws {
        let plugins = #"{"plugins": [{"name": "sharing", "config": {"resource": "pool"}}]}"#
        let routes = #"{"service": {"name": "s", "url": "http://127.0.0.1:9"}, "routes": [{"name": "r", "paths": ["/"]}]}"#
        let configuration = try ConfigLoader.load(
            pluginsFile: plugins,
            routeFiles: [("routes/s.json", routes)],
            environment: [:],
            plugins: testPlugins
        )
        var logger = Logger(label: "shared-resources-tests")
        logger.logLevel = .critical
        let options = GatewayOptions(
            proxyListen: ListenAddress(host: "127.0.0.1", port: 0),
            adminListen: ListenAddress(host: "127.0.0.1", port: 0),
            threads: 1
        )
        let server = try await GatewayServer.start(configuration: configuration, plugins: testPlugins, options: options, logger: logger)
        func plugin() throws -> SharingPlugin {
            try #require(server.runtimes.current.chains[0].entries.first?.plugin as? SharingPlugin)
        }
        let before = try plugin()
        #expect(before.setup.resources === server.resources)
        #expect((before.setup.eventLoopGroup as? MultiThreadedEventLoopGroup) !== MultiThreadedEventLoopGroup.singleton)
        try server.reload(configuration)
        let after = try plugin()
        #expect(after.resource === before.resource)
        #expect(!after.resource.isClosed)
        await server.shutdown()
        #expect(after.resource.isClosed)
    }
}

/// A second resource type, to check that types do not share keys.
private final class OtherResource: SharedResource {}
