import Gateway
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Runs plugins' phases on test requests, as the gateway runs them, without sockets: the configuration goes
/// through the gateway's own loader (so a bad one fails with the gateway's errors), the chain is compiled as for a
/// route, and each request runs on one event loop of the harness' group. Plugins get the harness' event loop group
/// and its own registry of shared resources (a Redis client, say); `close()` closes them.
///
/// ```swift
/// let harness = try PluginHarness(KeyAuthPlugin.self, config: #"{"hide_credentials": true}"#, consumers: """
///     [{"username": "app", "credentials": {"key-auth": [{"key": "k1"}]}}]
///     """)
/// let run = try await harness.run(TestRequest(.GET, "/orders", headers: ["apikey": "k1"]))
/// #expect(run.upstreamRequest?.headers["x-consumer-username"] == ["app"])
/// ```
public final class PluginHarness: Sendable {
    /// The clock the plugins were made with; move it to test expiry and windows.
    public let clock: TestClock
    /// The chain every request runs through.
    public let chain: PluginChain
    /// The resources the plugins share, as a gateway's (closed by `close()`).
    public let resources: SharedResources
    private let consumers: ConsumerDirectory
    private let eventLoop: any EventLoop

    /// A harness running `plugin` with `config` (a JSON object, laid out as a `plugins.json` entry's `config`).
    /// `consumers` is a `plugins.json` `consumers` array. Throws the gateway's `ConfigErrors` for a bad config.
    public convenience init(
        _ plugin: any GatewayPlugin.Type,
        config: String = "{}",
        consumers: String = "[]",
        clock: TestClock = TestClock(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        try self.init(chain: [(plugin, config)], consumers: consumers, clock: clock, eventLoopGroup: eventLoopGroup)
    }

    /// A harness running several plugins together, in priority order as on a route (`plugins[0]` in errors is the
    /// first of `chain`). Plugins are made for `eventLoopGroup` (by default the process-wide one, which the harness
    /// never shuts down), and requests run on one of its loops.
    public init(
        chain plugins: [(type: any GatewayPlugin.Type, config: String)],
        consumers: String = "[]",
        clock: TestClock = TestClock(),
        logger: Logger = Logger(label: "acme.gateway-testing"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        let entries = plugins.map { "{\"name\": \"\($0.type.name)\", \"config\": \($0.config)}" }
        let pluginsFile = "{\"consumers\": \(consumers), \"plugins\": [\(entries.joined(separator: ", "))]}"
        let routeFile = """
            {"service": {"name": "test-service", "url": "http://127.0.0.1:9"},
             "routes": [{"name": "test-route", "paths": ["/"]}]}
            """
        let registry = PluginRegistry(plugins.map(\.type))
        let configuration = try ConfigLoader.load(
            pluginsFile: pluginsFile,
            routeFiles: [("routes/test.json", routeFile)],
            environment: [:],
            plugins: registry
        )
        let resources = SharedResources()
        let runtime: GatewayRuntime
        do {
            runtime = try GatewayRuntime(
                configuration: configuration,
                plugins: registry,
                clock: clock,
                logger: logger,
                eventLoopGroup: eventLoopGroup,
                resources: resources
            )
        } catch {
            Task { await resources.close() }
            throw error
        }
        self.clock = clock
        self.chain = runtime.chains[0]
        self.resources = resources
        self.consumers = ConsumerDirectory(configuration.consumers)
        self.eventLoop = eventLoopGroup.next()
    }

    /// Closes the resources the plugins share (a harness that is dropped without it closes them in the background).
    public func close() async {
        await self.resources.close()
    }

    deinit {
        let resources = self.resources
        guard resources.count > 0 else { return }
        Task { await resources.close() }
    }

    /// Runs `request` through every phase: access (waiting for deferred decisions), the request body parts, then
    /// either the answering plugin's reply or `upstream` through the response phases (and the response body
    /// phases when one asks for the body), and the log phases.
    public func run(_ request: TestRequest, upstream: TestResponse = TestResponse()) async throws -> PluginRun {
        var consumer: Consumer?
        if let name = request.consumer {
            guard let found = self.consumers.consumer(named: name) else { throw PluginHarnessError.unknownConsumer(name) }
            consumer = found
        }
        let chain = self.chain
        let eventLoop = self.eventLoop
        return try await eventLoop.flatSubmit { [consumer] in
            HarnessExchange(chain: chain, request: request, consumer: consumer, upstream: upstream, eventLoop: eventLoop).start()
        }.get()
    }
}

/// What a harness cannot run.
public enum PluginHarnessError: Error, CustomStringConvertible {
    /// A `TestRequest.consumer` that the harness' consumers do not define.
    case unknownConsumer(String)

    public var description: String {
        switch self {
        case .unknownConsumer(let name): return "no consumer \"\(name)\" among the harness' consumers"
        }
    }
}
