/// A service of `routes/NAME.json`: its upstream, timeouts, plugin toggles and routes.
public struct Service: Sendable, Hashable {
    public var name: String
    public var upstream: Upstream
    /// Milliseconds to establish a connection to a target (Kong's default 60000).
    public var connectTimeout: Int
    /// Milliseconds between two successive reads from the upstream (Kong's default 60000).
    public var readTimeout: Int
    /// Milliseconds between two successive writes to the upstream (Kong's default 60000).
    public var writeTimeout: Int
    /// How many times a failed upstream attempt moves on to another try (Kong's default 5).
    public var retries: Int
    /// How connections to an https upstream are secured; nil for an http one.
    public var tls: UpstreamTLS?
    public var plugins: [String: PluginToggle]
    public var routes: [Route]
    public var location: ConfigLocation

    public init(
        name: String,
        upstream: Upstream,
        connectTimeout: Int = 60_000,
        readTimeout: Int = 60_000,
        writeTimeout: Int = 60_000,
        retries: Int = 5,
        tls: UpstreamTLS? = nil,
        plugins: [String: PluginToggle] = [:],
        routes: [Route] = [],
        location: ConfigLocation
    ) {
        self.name = name
        self.upstream = upstream
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
        self.retries = retries
        self.tls = tls
        self.plugins = plugins
        self.routes = routes
        self.location = location
    }
}

/// Where a service's requests go: one or more targets, and a path prepended to every forwarded path.
/// The `url` shorthand is one target of weight 100 with the URL's path.
public struct Upstream: Sendable, Hashable {
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        case roundRobin = "round-robin"
        case leastConnections = "least-connections"
        case consistentHashing = "consistent-hashing"
        case latency
    }

    /// `http` or `https` (the service's `tls` then says how connections are secured).
    public var scheme: String
    public var targets: [Target]
    public var algorithm: Algorithm
    /// The path from the service `url` (`/v1` in `http://host:8080/v1`), prepended to the forwarded path;
    /// empty when none.
    public var path: String
    /// The `Host` header sent upstream when the route does not preserve the client's host: the URL's host
    /// (and port when not the scheme's default), or the upstream's `host_header`; nil means the chosen target's.
    public var hostHeader: String?
    /// What `consistent-hashing` hashes, and what it hashes when a request lacks that.
    public var hashOn: UpstreamHashInput
    public var hashFallback: UpstreamHashInput
    /// Points on the consistent-hashing ring, shared among the targets by weight (Kong's `slots`).
    public var slots: Int
    public var healthchecks: Healthchecks

    public init(
        scheme: String = "http",
        targets: [Target],
        algorithm: Algorithm = .roundRobin,
        path: String = "",
        hostHeader: String? = nil,
        hashOn: UpstreamHashInput = .none,
        hashFallback: UpstreamHashInput = .none,
        slots: Int = 10_000,
        healthchecks: Healthchecks = Healthchecks()
    ) {
        self.scheme = scheme
        self.targets = targets
        self.algorithm = algorithm
        self.path = path
        self.hostHeader = hostHeader
        self.hashOn = hashOn
        self.hashFallback = hashFallback
        self.slots = slots
        self.healthchecks = healthchecks
    }
}

/// One upstream target, `host:port` with a weight.
public struct Target: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var weight: Int

    public init(host: String, port: Int, weight: Int = 100) {
        self.host = host
        self.port = port
        self.weight = weight
    }

    public var description: String { self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)" }

    /// The target as a `Host` header names it: without the port when it is the scheme's default (80, 443).
    func hostHeader(scheme: String) -> String {
        self.port == (scheme == "https" ? 443 : 80) ? (self.host.contains(":") ? "[\(self.host)]" : self.host) : self.description
    }
}
