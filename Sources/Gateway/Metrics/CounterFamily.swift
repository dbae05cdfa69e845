/// A counter a plugin keeps in the gateway's metrics (`acme_rate_limiting_decisions_total`), declared once as a
/// static value; each increment names its label values in `labelNames` order. Families are told apart by name
/// alone, so counting hashes the name and not the help text.
public struct CounterFamily: Sendable, Hashable {
    /// The full metric name, `acme_` prefix included.
    public let name: String
    public let help: String
    public let labelNames: [String]

    public init(name: String, help: String, labelNames: [String]) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
    }

    public static func == (lhs: CounterFamily, rhs: CounterFamily) -> Bool {
        lhs.name == rhs.name
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.name)
    }
}

/// What one request reported to the metrics: Kong's prometheus plugin's labels and values. Nil values are not
/// recorded (the plugin's `status_code_metrics`, `latency_metrics` and `bandwidth_metrics` switches).
public struct RequestObservation: Sendable {
    public var service: String
    public var route: String
    /// Empty unless the plugin counts per consumer.
    public var consumer: String
    /// The status code, and whether the upstream (`service`) or the gateway or a plugin (`kong`) answered.
    public var status: (code: UInt, source: String)?
    /// Milliseconds: the whole request, the upstream's wait until its response head, the gateway's own part.
    public var latencies: (request: Int64, upstream: Int64?, gateway: Int64)?
    /// Bytes received from and sent to the client.
    public var bandwidth: (ingress: Int, egress: Int)?

    public init(
        service: String,
        route: String,
        consumer: String = "",
        status: (code: UInt, source: String)? = nil,
        latencies: (request: Int64, upstream: Int64?, gateway: Int64)? = nil,
        bandwidth: (ingress: Int, egress: Int)? = nil
    ) {
        self.service = service
        self.route = route
        self.consumer = consumer
        self.status = status
        self.latencies = latencies
        self.bandwidth = bandwidth
    }
}
