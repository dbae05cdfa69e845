import Logging

/// The plugins one route runs, highest priority first, with their configurations: compiled once when the
/// configuration is loaded, so a request does no lookups by name.
public struct PluginChain: Sendable {
    /// One plugin of the chain, made with this route's configuration.
    public struct Entry: Sendable {
        public let name: String
        public let priority: Int
        public let plugin: any GatewayPlugin
        /// The configuration the plugin was made with: the global entry's object with the service's and the route's
        /// laid over it, as written (the plugin's own defaults are not filled in). What the admin API shows.
        public let config: JSONValue

        public init(name: String, priority: Int, plugin: any GatewayPlugin, config: JSONValue = .object([])) {
            self.name = name
            self.priority = priority
            self.plugin = plugin
            self.config = config
        }
    }

    public let entries: [Entry]
    /// The entries' plugins, in order: what the phases iterate, without copying the entries.
    let plugins: [any GatewayPlugin]
    /// The plugins that read the request body as it streams.
    let bodyReaders: [any GatewayPlugin]
    /// Where a plugin's failure is logged.
    let logger: Logger

    /// A chain of `entries`, in the order given (highest priority first).
    public init(entries: [Entry], logger: Logger = Logger(label: "acme.gateway.plugins")) {
        self.entries = entries
        self.plugins = entries.map(\.plugin)
        self.bodyReaders = self.plugins.filter { type(of: $0).readsRequestBody }
        self.logger = logger
    }

    /// The chain of a route that runs no plugin.
    public static let empty = PluginChain(entries: [])

    /// Whether any plugin of the chain reads the request body.
    public var readsRequestBody: Bool { !self.bodyReaders.isEmpty }

    public var isEmpty: Bool { self.entries.isEmpty }

    /// The chain of `route` of `service`. A plugin runs where the most specific word about it says so: the route's
    /// `plugins` entry, else the service's, else the global entry's `enabled`. Its configuration is the global
    /// `config` with the service's object and then the route's object laid over it, field by field; its scope is the
    /// most specific of those that gave an object.
    static func compile(
        route: Route,
        service: Service,
        globals: [PluginEntry],
        registry: PluginRegistry,
        setup: PluginSetup
    ) -> (chain: PluginChain, errors: [ConfigError]) {
        var names = Set(globals.map(\.name))
        names.formUnion(service.plugins.keys)
        names.formUnion(route.plugins.keys)
        var entries: [Entry] = []
        var errors: [ConfigError] = []
        for name in names {
            let global = globals.first { $0.name == name }
            let decision = route.plugins[name] ?? service.plugins[name] ?? (global?.enabled == true ? .on : .off)
            guard decision != .off else { continue }
            var config = global?.config ?? .object([])
            var location = global.map { ConfigLocation(file: $0.location.file, path: $0.location.path + ".config") }
            var scope = PluginScope.global
            if case .configured(let overlay) = service.plugins[name] {
                config = config.layering(overlay)
                location = ConfigLocation(file: service.location.file, path: "service.plugins.\(name)")
                scope = .service(service.name)
            }
            if case .configured(let overlay) = route.plugins[name] {
                config = config.layering(overlay)
                location = ConfigLocation(file: route.location.file, path: "\(route.location.path).plugins.\(name)")
                scope = .route(route.name)
            }
            let at = location ?? ConfigLocation(file: route.location.file, path: "\(route.location.path).plugins.\(name)")
            let made = registry.make(
                name,
                config: config,
                file: at.file,
                path: at.path,
                setup: setup.scoped(scope)
            )
            errors += made.errors
            if let plugin = made.plugin {
                entries.append(Entry(name: name, priority: registry.priority(of: name), plugin: plugin, config: config))
            }
        }
        entries.sort { $0.priority != $1.priority ? $0.priority > $1.priority : $0.name < $1.name }
        return (PluginChain(entries: entries, logger: setup.logger), errors)
    }
}

extension JSONValue {
    /// This object with `overlay`'s fields laid over it (objects merged field by field, anything else replaced).
    func layering(_ overlay: JSONValue) -> JSONValue {
        guard case .object(var members) = self, case .object(let overlays) = overlay else { return overlay }
        for member in overlays {
            if let index = members.firstIndex(where: { $0.key == member.key }) {
                members[index].value = members[index].value.layering(member.value)
            } else {
                members.append(member)
            }
        }
        return .object(members)
    }
}
