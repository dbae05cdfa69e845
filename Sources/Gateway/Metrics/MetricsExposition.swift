/// Renders merged metrics as Prometheus text, families in a fixed order and samples sorted, so scrapes diff well.
struct MetricsExposition {
    let nodeID: String
    let connections: ConnectionStatistics?
    let reloads: ReloadStatistics?
    let upstreams: UpstreamRegistry?

    /// Kong OSS's only workspace.
    private static let workspace = "default"

    func text(_ snapshot: LoopMetrics.Snapshot) -> String {
        var out = PrometheusText()
        if let connections = self.connections {
            out.family("acme_nginx_connections_total", type: "gauge", help: "Number of connections by subsystem")
            for (state, value) in [
                ("accepted", connections.connectionsAccepted), ("active", connections.connectionsActive),
                ("handled", connections.connectionsAccepted - connections.connectionsRefused), ("total", connections.connectionsAccepted),
            ] {
                out.sample(
                    "acme_nginx_connections_total",
                    labels: [("node_id", self.nodeID), ("subsystem", "http"), ("state", state)],
                    value: String(value)
                )
            }
            out.family("acme_nginx_requests_total", type: "gauge", help: "Number of requests total")
            out.sample(
                "acme_nginx_requests_total",
                labels: [("node_id", self.nodeID), ("subsystem", "http")],
                value: String(connections.totalRequests)
            )
        }
        self.reloads?.render(into: &out)
        self.upstreams?.render(into: &out)
        if !snapshot.statuses.isEmpty {
            out.family("acme_http_requests_total", type: "counter", help: "HTTP status codes per consumer/service/route in the gateway")
            for (key, value) in snapshot.statuses.sorted(by: { Self.order($0.key).lexicographicallyPrecedes(Self.order($1.key)) }) {
                out.sample(
                    "acme_http_requests_total",
                    labels: [
                        ("service", key.service), ("route", key.route), ("code", String(key.code)), ("source", key.source),
                        ("workspace", Self.workspace), ("consumer", key.consumer),
                    ],
                    value: String(value)
                )
            }
        }
        if !snapshot.latencies.isEmpty {
            let routes = snapshot.latencies.sorted { ($0.key.service, $0.key.route) < ($1.key.service, $1.key.route) }
            let families: [(String, String, KeyPath<LoopMetrics.Latencies, LatencyHistogram>)] = [
                ("acme_kong_latency_ms", "Latency added by the gateway and enabled plugins for each service/route", \.gateway),
                ("acme_upstream_latency_ms", "Latency added by upstream response for each service/route", \.upstream),
                ("acme_request_latency_ms", "Total latency incurred during requests for each service/route", \.request),
            ]
            for (name, help, path) in families {
                out.family(name, type: "histogram", help: help)
                for (key, latencies) in routes where latencies[keyPath: path].count > 0 {
                    let labels = [("service", key.service), ("route", key.route), ("workspace", Self.workspace)]
                    out.histogram(name, labels: labels, latencies[keyPath: path])
                }
            }
        }
        if !snapshot.bandwidth.isEmpty {
            out.family("acme_bandwidth_bytes", type: "counter", help: "Total bandwidth (ingress/egress) throughput in bytes")
            let sorted = snapshot.bandwidth.sorted {
                ($0.key.service, $0.key.route, $0.key.direction, $0.key.consumer)
                    < ($1.key.service, $1.key.route, $1.key.direction, $1.key.consumer)
            }
            for (key, value) in sorted {
                out.sample(
                    "acme_bandwidth_bytes",
                    labels: [
                        ("service", key.service), ("route", key.route), ("direction", key.direction),
                        ("workspace", Self.workspace), ("consumer", key.consumer),
                    ],
                    value: String(value)
                )
            }
        }
        let families = Dictionary(grouping: snapshot.counters, by: \.key.family)
        for family in families.keys.sorted(by: { $0.name < $1.name }) {
            out.family(family.name, type: "counter", help: family.help)
            let samples = families[family, default: []].sorted { $0.key.labels.lexicographicallyPrecedes($1.key.labels) }
            for (key, value) in samples {
                out.sample(family.name, labels: Array(zip(family.labelNames, key.labels)), value: String(value))
            }
        }
        return out.text
    }

    private static func order(_ key: LoopMetrics.StatusKey) -> [String] {
        [key.service, key.route, String(key.code), key.source, key.consumer]
    }
}
