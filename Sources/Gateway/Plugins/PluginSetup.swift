import Logging
import NIOCore
import NIOPosix

/// What a plugin may use when it is made: the consumers, the clock, a logger, the gateway's event loops, the
/// resources plugins share, and where its configuration was written.
public struct PluginSetup: Sendable {
    public let consumers: ConsumerDirectory
    public let clock: any GatewayClock
    /// For what goes wrong while serving (a key set that cannot be fetched, a store that is down).
    public let logger: Logger
    /// The event loops requests run on: what a client made for the plugin (a connection pool per loop) runs on.
    public let eventLoopGroup: any EventLoopGroup
    /// Long-lived resources shared by every plugin instance of the gateway, across reloads, closed when it stops.
    public let resources: SharedResources
    /// Where the configuration this instance runs with was written.
    public let scope: PluginScope

    /// A setup with these parts; the defaults suit checking a configuration (`acme config check`): no consumers,
    /// the system clock, the process-wide event loop group, and a registry of resources of its own.
    public init(
        consumers: ConsumerDirectory = ConsumerDirectory([]),
        clock: any GatewayClock = SystemClock(),
        logger: Logger = Logger(label: "acme.gateway.plugins"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        resources: SharedResources = SharedResources(),
        scope: PluginScope = .global
    ) {
        self.consumers = consumers
        self.clock = clock
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.resources = resources
        self.scope = scope
    }

    /// This setup for an instance configured at `scope`.
    func scoped(_ scope: PluginScope) -> PluginSetup {
        PluginSetup(
            consumers: self.consumers,
            clock: self.clock,
            logger: self.logger,
            eventLoopGroup: self.eventLoopGroup,
            resources: self.resources,
            scope: scope
        )
    }
}

/// Where a plugin instance's configuration was written: the most specific place that gave the plugin an object.
/// Plugins that keep state per configuration key it by the scope, as Kong keys it by the plugin's route and
/// service: a global entry's counters count across every route it runs on.
public enum PluginScope: Sendable, Hashable, CustomStringConvertible {
    /// The `plugins.json` entry, as is (also on a route or service that switches it on with `true`).
    case global
    /// The object under a service's `plugins`, laid over the global entry.
    case service(String)
    /// The object under a route's `plugins`, laid over the service's and the global entry.
    case route(String)

    /// `global`, `service:NAME` or `route:NAME`.
    public var description: String {
        switch self {
        case .global: "global"
        case .service(let name): "service:\(name)"
        case .route(let name): "route:\(name)"
        }
    }
}
