/// The plugins a gateway knows, as the configuration loader sees them: their names, and a validator for their
/// configuration objects.
public protocol PluginCatalog: Sendable {
    /// The names of the plugins compiled into this gateway.
    var pluginNames: [String] { get }

    /// Validates one plugin configuration object (a global `config`, or a service/route override object) and
    /// returns its errors; called only for known names. `path` is the object's JSON path in `file`; errors inside it
    /// extend it (`routes[0].plugins.rate-limiting.minute`).
    func validate(plugin name: String, config: JSONValue, file: String, path: String) -> [ConfigError]

    /// Validates one credential object of a consumer (`consumers[0].credentials.key-auth[0]`) for the plugin
    /// `name`; called only for known names.
    func validateCredential(plugin name: String, credential: JSONValue, file: String, path: String) -> [ConfigError]
}

extension PluginCatalog {
    /// Plugins without credentials accept any object.
    public func validateCredential(plugin name: String, credential: JSONValue, file: String, path: String) -> [ConfigError] {
        []
    }
}

/// The empty catalog: a gateway with no plugins compiled in.
public struct NoPlugins: PluginCatalog {
    public init() {}

    public var pluginNames: [String] { [] }

    public func validate(plugin name: String, config: JSONValue, file: String, path: String) -> [ConfigError] {
        []
    }
}
