import Gateway

/// Kong 3.x's `prometheus` schema: what each request adds to the metrics (all off by default, as in Kong).
public struct PrometheusConfiguration: PluginConfiguration {
    /// Fill the `consumer` label of `acme_http_requests_total` and `acme_bandwidth_bytes`.
    public var perConsumer: Bool
    /// `acme_http_requests_total` by service, route, status code and source.
    public var statusCodeMetrics: Bool
    /// `acme_request_latency_ms`, `acme_upstream_latency_ms`, `acme_kong_latency_ms`.
    public var latencyMetrics: Bool
    /// `acme_bandwidth_bytes`, ingress and egress.
    public var bandwidthMetrics: Bool
    /// Accepted for Kong configurations; target health appears with active and passive health checks.
    public var upstreamHealthMetrics: Bool

    public init(from reader: inout PluginConfigReader) {
        self.perConsumer = reader.bool("per_consumer", default: false)
        self.statusCodeMetrics = reader.bool("status_code_metrics", default: false)
        self.latencyMetrics = reader.bool("latency_metrics", default: false)
        self.bandwidthMetrics = reader.bool("bandwidth_metrics", default: false)
        self.upstreamHealthMetrics = reader.bool("upstream_health_metrics", default: false)
        for unsupported in ["ai_metrics", "wasm_metrics"] where reader.bool(unsupported, default: false) {
            reader.fail(unsupported, "expected false (the gateway has no \(unsupported == "ai_metrics" ? "AI" : "Wasm") plugins), got true")
        }
    }
}
