import Atomics
import Logging
import NIOCore
import NIOPosix

/// A loaded configuration compiled for serving: the router and the services by name. Immutable; a reload
/// makes a new one with the next generation number.
public final class GatewayRuntime: Sendable {
    public let configuration: GatewayConfiguration
    public let router: Router
    /// The plugins compiled in, which the chains are made from (and a reload makes them from again).
    public let plugins: PluginRegistry
    /// Each route's plugin chain, by the route's index in configuration order.
    public let chains: [PluginChain]
    /// The clock, logger, event loops, shared resources and metrics plugins are made with (again on reload).
    let clock: any GatewayClock
    let logger: Logger
    let eventLoopGroup: any EventLoopGroup
    let resources: SharedResources
    let metrics: GatewayMetrics
    /// Counts reloads, so per-loop state built from an older configuration (balancers) is rebuilt.
    public let generation: Int
    private let servicesByName: [String: Service]

    /// Compiles the router and every route's plugin chain; throws `ConfigErrors` for plugin configurations that
    /// are invalid once laid over each other, and `RouterError` for routes the router cannot compile. Plugins are
    /// made for `eventLoopGroup` (the loops requests will run on) and take what they share from `resources`; the
    /// defaults suit a runtime that serves no requests (`acme routes`).
    public init(
        configuration: GatewayConfiguration,
        plugins: PluginRegistry = PluginRegistry([]),
        clock: any GatewayClock = SystemClock(),
        logger: Logger = Logger(label: "acme.gateway.plugins"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        resources: SharedResources = SharedResources(),
        metrics: GatewayMetrics = .disabled,
        generation: Int = 0
    ) throws {
        self.configuration = configuration
        self.router = try Router(routes: configuration.routes)
        self.plugins = plugins
        self.generation = generation
        let servicesByName = Dictionary(configuration.services.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.servicesByName = servicesByName
        self.clock = clock
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.resources = resources
        self.metrics = metrics
        let setup = PluginSetup(
            consumers: ConsumerDirectory(configuration.consumers),
            clock: clock,
            logger: logger,
            eventLoopGroup: eventLoopGroup,
            resources: resources,
            metrics: metrics
        )
        var chains: [PluginChain] = []
        var errors: [ConfigError] = []
        for route in configuration.routes {
            guard let service = servicesByName[route.serviceName] else {
                chains.append(.empty)
                continue
            }
            let compiled = PluginChain.compile(
                route: route,
                service: service,
                globals: configuration.plugins,
                registry: plugins,
                setup: setup
            )
            chains.append(compiled.chain)
            errors += compiled.errors
        }
        if !errors.isEmpty { throw ConfigErrors(Array(Set(errors))) }
        self.chains = chains
    }

    /// Every route with its plugin chain, in the order the router tries them.
    public var routesInPriorityOrder: [(route: Route, chain: PluginChain)] {
        let routes = self.configuration.routes
        return self.router.routeIndicesInPriorityOrder.map { (routes[$0], self.chains[$0]) }
    }

    /// The service a route belongs to.
    func service(of route: Route) -> Service? {
        self.servicesByName[route.serviceName]
    }
}

extension GatewayRuntime: AtomicReference {}

/// The runtime in force, swapped whole on reload; each request reads it once, without a lock.
public final class GatewayRuntimeHolder: Sendable {
    private let reference: ManagedAtomic<GatewayRuntime>

    public init(_ runtime: GatewayRuntime) {
        self.reference = ManagedAtomic(runtime)
    }

    public var current: GatewayRuntime { self.reference.load(ordering: .acquiring) }

    /// Puts `configuration` in force, as the next generation. Reloads are not concurrent (one signal handler).
    public func replace(with configuration: GatewayConfiguration) throws {
        let current = self.current
        let next = try GatewayRuntime(
            configuration: configuration,
            plugins: current.plugins,
            clock: current.clock,
            logger: current.logger,
            eventLoopGroup: current.eventLoopGroup,
            resources: current.resources,
            metrics: current.metrics,
            generation: current.generation + 1
        )
        self.reference.store(next, ordering: .releasing)
    }
}
