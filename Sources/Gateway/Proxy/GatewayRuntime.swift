import Atomics

/// A loaded configuration compiled for serving: the router and the services by name. Immutable; a reload
/// makes a new one with the next generation number.
public final class GatewayRuntime: Sendable {
    public let configuration: GatewayConfiguration
    public let router: Router
    /// Counts reloads, so per-loop state built from an older configuration (balancers) is rebuilt.
    public let generation: Int
    private let servicesByName: [String: Service]

    public init(configuration: GatewayConfiguration, generation: Int = 0) throws {
        self.configuration = configuration
        self.router = try Router(routes: configuration.routes)
        self.generation = generation
        self.servicesByName = Dictionary(configuration.services.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
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
        let next = try GatewayRuntime(configuration: configuration, generation: self.current.generation + 1)
        self.reference.store(next, ordering: .releasing)
    }
}
