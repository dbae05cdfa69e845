/// A route of a service: the attributes a request must match, how the path is forwarded, and plugin toggles.
public struct Route: Sendable, Hashable {
    public var name: String
    /// The name of the service this route belongs to.
    public var serviceName: String
    /// Prefix paths and regex paths (written with a leading `~`).
    public var paths: [PathPattern]
    /// Upper-case method names; empty means any method.
    public var methods: [String]
    /// Host patterns: exact, `*.example.com`, `example.*`; empty means any host. Lower-cased.
    public var hosts: [String]
    /// Header name (lower-cased) to accepted values; every listed header must carry one of its values.
    public var headers: [String: [String]]
    /// Remove the matched prefix before forwarding (Kong's default true).
    public var stripPath: Bool
    /// Send the client's `Host` upstream instead of the upstream's (Kong's default false).
    public var preserveHost: Bool
    /// Order among regex routes: higher is tried first (Kong's default 0).
    public var regexPriority: Int
    public var plugins: [String: PluginToggle]
    public var location: ConfigLocation

    public init(
        name: String,
        serviceName: String,
        paths: [PathPattern] = [],
        methods: [String] = [],
        hosts: [String] = [],
        headers: [String: [String]] = [:],
        stripPath: Bool = true,
        preserveHost: Bool = false,
        regexPriority: Int = 0,
        plugins: [String: PluginToggle] = [:],
        location: ConfigLocation
    ) {
        self.name = name
        self.serviceName = serviceName
        self.paths = paths
        self.methods = methods
        self.hosts = hosts
        self.headers = headers
        self.stripPath = stripPath
        self.preserveHost = preserveHost
        self.regexPriority = regexPriority
        self.plugins = plugins
        self.location = location
    }
}

/// A route path: a prefix, or a regular expression anchored at the start of the path.
public enum PathPattern: Sendable, Hashable, CustomStringConvertible {
    case prefix(String)
    /// The expression as written, without the leading `~`. Validated when the configuration is loaded.
    case regex(String)

    public var description: String {
        switch self {
        case .prefix(let prefix): return prefix
        case .regex(let pattern): return "~" + pattern
        }
    }
}
