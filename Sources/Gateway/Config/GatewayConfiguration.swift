/// The gateway's whole declarative configuration: `plugins.json` and every `routes/*.json` of a directory,
/// decoded and validated. Immutable once loaded; a reload builds a new one.
public struct GatewayConfiguration: Sendable {
    /// Consumers from `plugins.json`.
    public var consumers: [Consumer]
    /// Global plugin entries from `plugins.json`, in file order.
    public var plugins: [PluginEntry]
    /// Services from `routes/*.json`, files in byte-wise name order, services in file order.
    public var services: [Service]
    /// A fingerprint of the files it was loaded from (16 hex digits, see `ConfigLoader`); nil when built in code.
    public var contentHash: String?

    public init(
        consumers: [Consumer] = [],
        plugins: [PluginEntry] = [],
        services: [Service] = [],
        contentHash: String? = nil
    ) {
        self.consumers = consumers
        self.plugins = plugins
        self.services = services
        self.contentHash = contentHash
    }

    /// Every route of every service, in configuration order.
    public var routes: [Route] { self.services.flatMap(\.routes) }
}

/// Where a value came from: the file (relative to the configuration directory) and the JSON path in it.
public struct ConfigLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var path: String

    public init(file: String, path: String) {
        self.file = file
        self.path = path
    }

    public var description: String { "\(self.file): \(self.path)" }
}

/// A consumer: an identity that authentication plugins map credentials to.
public struct Consumer: Sendable, Hashable {
    public var username: String
    public var customID: String?
    public var groups: [String]
    /// Credentials per plugin name (`jwt`, `key-auth`, ...), each an object the plugin decodes.
    public var credentials: [String: [JSONValue]]
    public var location: ConfigLocation

    public init(
        username: String,
        customID: String? = nil,
        groups: [String] = [],
        credentials: [String: [JSONValue]] = [:],
        location: ConfigLocation
    ) {
        self.username = username
        self.customID = customID
        self.groups = groups
        self.credentials = credentials
        self.location = location
    }
}

/// A global plugin entry of `plugins.json`.
public struct PluginEntry: Sendable, Hashable {
    public var name: String
    /// When false the entry only defines defaults, and the plugin runs only where a route or service switches it on.
    public var enabled: Bool
    /// The plugin's configuration object as written (an empty object when absent).
    public var config: JSONValue
    public var location: ConfigLocation

    public init(name: String, enabled: Bool = true, config: JSONValue = .object([]), location: ConfigLocation) {
        self.name = name
        self.enabled = enabled
        self.config = config
        self.location = location
    }
}

/// What a service or route says about one plugin: off here, on with the global defaults, or on with fields
/// laid over the global defaults.
public enum PluginToggle: Sendable, Hashable {
    case off
    case on
    case configured(JSONValue)
}
