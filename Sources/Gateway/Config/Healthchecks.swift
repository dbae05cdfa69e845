/// An upstream's health checks, with Kong's schema and defaults: `active` probes each target on a schedule,
/// `passive` counts the outcomes of proxied requests (a circuit breaker). A counter of 0 switches its rule off, and so
/// does an interval of 0; with Kong's defaults nothing is checked and every target counts as healthy.
public struct Healthchecks: Sendable, Hashable {
    public var active: Active
    public var passive: Passive
    /// The percentage of the upstream's weight that must be healthy for it to take traffic at all (Kong's
    /// `threshold`, 0 to 100).
    public var threshold: Double

    public init(active: Active = Active(), passive: Passive = Passive(), threshold: Double = 0) {
        self.active = active
        self.passive = passive
        self.threshold = threshold
    }

    /// How a probe or a proxied request is judged.
    public enum ProbeType: String, Sendable, Hashable, CaseIterable {
        /// An HTTP request whose answer's status decides.
        case http
        /// A TCP connection that opens is a success.
        case tcp
    }

    /// When a target counts as healthy again.
    public struct HealthyRule: Sendable, Hashable {
        /// Seconds between probes of healthy targets (active only; 0: not probed).
        public var interval: Double
        public var httpStatuses: Set<Int>
        /// Successes in a row that make an unhealthy target healthy (0: never by this count).
        public var successes: Int

        public init(interval: Double = 0, httpStatuses: Set<Int>, successes: Int = 0) {
            self.interval = interval
            self.httpStatuses = httpStatuses
            self.successes = successes
        }
    }

    /// When a target counts as unhealthy.
    public struct UnhealthyRule: Sendable, Hashable {
        /// Seconds between probes of unhealthy targets (active only; 0: not probed).
        public var interval: Double
        public var httpStatuses: Set<Int>
        /// Failed connections in a row that make a target unhealthy (0: off).
        public var tcpFailures: Int
        /// Timeouts in a row that make a target unhealthy (0: off).
        public var timeouts: Int
        /// Answers with a status of `httpStatuses` in a row that make a target unhealthy (0: off).
        public var httpFailures: Int

        public init(interval: Double = 0, httpStatuses: Set<Int>, tcpFailures: Int = 0, timeouts: Int = 0, httpFailures: Int = 0) {
            self.interval = interval
            self.httpStatuses = httpStatuses
            self.tcpFailures = tcpFailures
            self.timeouts = timeouts
            self.httpFailures = httpFailures
        }

        /// Whether any count can make a target unhealthy.
        public var isEnabled: Bool { self.tcpFailures > 0 || self.timeouts > 0 || self.httpFailures > 0 }
    }

    /// Probes the gateway sends to every target on its own.
    public struct Active: Sendable, Hashable {
        public var type: ProbeType
        /// Seconds a probe may take.
        public var timeout: Double
        /// Probes in flight at once.
        public var concurrency: Int
        public var httpPath: String
        /// Headers sent with every probe.
        public var headers: [String: [String]]
        public var healthy: HealthyRule
        public var unhealthy: UnhealthyRule

        public init(
            type: ProbeType = .http,
            timeout: Double = 1,
            concurrency: Int = 10,
            httpPath: String = "/",
            headers: [String: [String]] = [:],
            healthy: HealthyRule = HealthyRule(httpStatuses: [200, 302]),
            unhealthy: UnhealthyRule = UnhealthyRule(httpStatuses: [429, 404, 500, 501, 502, 503, 504, 505])
        ) {
            self.type = type
            self.timeout = timeout
            self.concurrency = concurrency
            self.httpPath = httpPath
            self.headers = headers
            self.healthy = healthy
            self.unhealthy = unhealthy
        }

        /// Whether probes are sent at all: some interval is set.
        public var isEnabled: Bool { self.healthy.interval > 0 || self.unhealthy.interval > 0 }
    }

    /// Outcomes of proxied requests, counted per target.
    public struct Passive: Sendable, Hashable {
        public var type: ProbeType
        public var healthy: HealthyRule
        public var unhealthy: UnhealthyRule

        public init(
            type: ProbeType = .http,
            healthy: HealthyRule = HealthyRule(httpStatuses: Set([200, 201, 202, 203, 204, 205, 206, 207, 208, 226] + Array(300...308))),
            unhealthy: UnhealthyRule = UnhealthyRule(httpStatuses: [429, 500, 503])
        ) {
            self.type = type
            self.healthy = healthy
            self.unhealthy = unhealthy
        }

        /// Whether proxied traffic is counted at all: some rule has a count.
        public var isEnabled: Bool { self.unhealthy.isEnabled || self.healthy.successes > 0 }
    }

    /// Whether anything is checked: otherwise every target is healthy and nothing is counted.
    public var isEnabled: Bool { self.active.isEnabled || self.passive.isEnabled }
}
