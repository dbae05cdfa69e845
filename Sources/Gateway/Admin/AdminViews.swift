// The configuration as the admin API shows it: Kong's field names, secrets redacted (`SecretRedaction`).

/// A service as `GET /services` shows it. `host` and `port` are the target's when there is one; with several, the
/// host is the service's name (as a Kong service names its upstream) and the port the scheme's default.
struct AdminService: Encodable {
    struct Target: Encodable {
        var target: String
        var weight: Int
    }

    struct Upstream: Encodable {
        var algorithm: String
        var targets: [Target]
    }

    var name: String
    var `protocol`: String
    var host: String
    var port: Int
    var path: String?
    var connectTimeout: Int
    var readTimeout: Int
    var writeTimeout: Int
    var retries: Int
    var upstream: Upstream
    var source: String

    init(_ service: Service) {
        let upstream = service.upstream
        self.name = service.name
        self.protocol = upstream.scheme
        if upstream.targets.count == 1, let target = upstream.targets.first {
            self.host = target.host
            self.port = target.port
        } else {
            self.host = service.name
            self.port = upstream.scheme == "https" ? 443 : 80
        }
        self.path = upstream.path.isEmpty ? nil : upstream.path
        self.connectTimeout = service.connectTimeout
        self.readTimeout = service.readTimeout
        self.writeTimeout = service.writeTimeout
        self.retries = service.retries
        self.upstream = Upstream(
            algorithm: upstream.algorithm.rawValue,
            targets: upstream.targets.map { Target(target: $0.description, weight: $0.weight) }
        )
        self.source = service.location.file
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.name, forKey: .name)
        try container.encode(self.protocol, forKey: .protocol)
        try container.encode(self.host, forKey: .host)
        try container.encode(self.port, forKey: .port)
        try container.encode(self.path, forKey: .path)  // null when none, as Kong shows it
        try container.encode(self.connectTimeout, forKey: .connectTimeout)
        try container.encode(self.readTimeout, forKey: .readTimeout)
        try container.encode(self.writeTimeout, forKey: .writeTimeout)
        try container.encode(self.retries, forKey: .retries)
        try container.encode(self.upstream, forKey: .upstream)
        try container.encode(self.source, forKey: .source)
    }

    private enum CodingKeys: String, CodingKey {
        case name, `protocol`, host, port, path, retries, upstream, source
        case connectTimeout = "connect_timeout", readTimeout = "read_timeout", writeTimeout = "write_timeout"
    }
}

/// A route as `GET /routes` shows it: Kong's field names, the service by name, and the plugin chain it runs.
struct AdminRoute: Encodable {
    struct ServiceReference: Encodable {
        var name: String
    }

    /// One plugin of the route's chain, in run order, with the configuration it runs with.
    struct ChainEntry: Encodable {
        var name: String
        var priority: Int
        var config: JSONValue
    }

    var name: String
    var service: ServiceReference
    var paths: [String]
    var methods: [String]
    var hosts: [String]
    var headers: [String: [String]]
    var stripPath: Bool
    var preserveHost: Bool
    var regexPriority: Int
    var plugins: [ChainEntry]
    var source: String

    init(_ route: Route, chain: PluginChain) {
        self.name = route.name
        self.service = ServiceReference(name: route.serviceName)
        self.paths = route.paths.map(\.description)
        self.methods = route.methods
        self.hosts = route.hosts
        self.headers = route.headers
        self.stripPath = route.stripPath
        self.preserveHost = route.preserveHost
        self.regexPriority = route.regexPriority
        self.plugins = chain.entries.map {
            ChainEntry(name: $0.name, priority: $0.priority, config: SecretRedaction.redacted($0.config))
        }
        self.source = route.location.file
    }

    private enum CodingKeys: String, CodingKey {
        case name, service, paths, methods, hosts, headers, plugins, source
        case stripPath = "strip_path", preserveHost = "preserve_host", regexPriority = "regex_priority"
    }
}

/// A global plugin entry of `plugins.json`, as `GET /plugins` shows it.
struct AdminPlugin: Encodable {
    var name: String
    var enabled: Bool
    var config: JSONValue
    var source: String

    init(_ entry: PluginEntry) {
        self.name = entry.name
        self.enabled = entry.enabled
        self.config = SecretRedaction.redacted(entry.config)
        self.source = entry.location.file
    }
}

/// A consumer, as `GET /consumers` shows it: credentials per plugin with every secret field redacted (a jwt
/// credential's `key` and `secret`, a key-auth `key`).
struct AdminConsumer: Encodable {
    var username: String
    var customID: String?
    var groups: [String]
    var credentials: [String: [JSONValue]]

    init(_ consumer: Consumer) {
        self.username = consumer.username
        self.customID = consumer.customID
        self.groups = consumer.groups
        self.credentials = consumer.credentials.mapValues { $0.map(SecretRedaction.redacted) }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.username, forKey: .username)
        try container.encode(self.customID, forKey: .customID)
        try container.encode(self.groups, forKey: .groups)
        try container.encode(self.credentials, forKey: .credentials)
    }

    private enum CodingKeys: String, CodingKey {
        case username, groups, credentials
        case customID = "custom_id"
    }
}
