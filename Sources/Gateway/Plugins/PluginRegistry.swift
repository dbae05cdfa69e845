/// The plugins compiled into a gateway, by name: the catalog the configuration loader validates against, and the
/// factory the runtime makes each route's plugin instances with. `GatewayPlugins` lists the bundled ones.
public struct PluginRegistry: PluginCatalog {
    private let types: [String: any GatewayPlugin.Type]

    public init(_ plugins: [any GatewayPlugin.Type]) {
        self.types = Dictionary(plugins.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public var pluginNames: [String] { self.types.keys.sorted() }

    public func validate(plugin name: String, config: JSONValue, file: String, path: String) -> [ConfigError] {
        guard let type = self.types[name] else { return [] }
        return Self.make(type, config: config, file: file, path: path, setup: PluginSetup()).errors
    }

    public func validateCredential(plugin name: String, credential: JSONValue, file: String, path: String) -> [ConfigError] {
        guard let type = self.types[name] else { return [] }
        var reader = PluginConfigReader(config: credential, file: file, path: path)
        type.checkCredential(&reader)
        return reader.errors
    }

    /// The priority of the plugin called `name` (0 when unknown).
    func priority(of name: String) -> Int {
        self.types[name]?.priority ?? 0
    }

    /// An instance of the plugin called `name` with `config`, or the configuration's errors.
    func make(
        _ name: String,
        config: JSONValue,
        file: String,
        path: String,
        setup: PluginSetup
    ) -> (plugin: (any GatewayPlugin)?, errors: [ConfigError]) {
        guard let type = self.types[name] else {
            return (nil, [ConfigError(file: file, path: path, message: "unknown plugin \"\(name)\"")])
        }
        return Self.make(type, config: config, file: file, path: path, setup: setup)
    }

    private static func make<Plugin: GatewayPlugin>(
        _ type: Plugin.Type,
        config: JSONValue,
        file: String,
        path: String,
        setup: PluginSetup
    ) -> (plugin: (any GatewayPlugin)?, errors: [ConfigError]) {
        var reader = PluginConfigReader(config: config, file: file, path: path)
        let configuration = Plugin.Configuration(from: &reader)
        reader.finish()
        guard reader.errors.isEmpty else { return (nil, reader.errors) }
        return (Plugin(configuration: configuration, setup: setup), [])
    }
}
