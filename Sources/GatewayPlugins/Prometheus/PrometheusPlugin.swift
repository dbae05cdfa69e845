import Gateway
import NIOHTTP1

/// Kong's `prometheus`: each request the plugin runs on adds to the gateway's metrics, served by the admin API's
/// `GET /metrics`, in Kong's names with the `acme_` prefix. Recording happens in the log phase, after the response
/// went out, into the request's event loop's own share of the metrics: no lock, no contention between loops.
public struct PrometheusPlugin: GatewayPlugin {
    public static let name = "prometheus"
    public static let priority = 13

    private let configuration: PrometheusConfiguration
    private let metrics: GatewayMetrics

    public init(configuration: PrometheusConfiguration, setup: PluginSetup) {
        self.configuration = configuration
        self.metrics = setup.metrics
    }

    public func log(_ request: PluginRequest, _ response: PluginResponse) {
        let configuration = self.configuration
        guard configuration.statusCodeMetrics || configuration.latencyMetrics || configuration.bandwidthMetrics else { return }
        var observation = RequestObservation(
            service: request.serviceName,
            route: request.routeName,
            consumer: configuration.perConsumer ? request.consumer?.username ?? "" : ""
        )
        if configuration.statusCodeMetrics {
            observation.status = (response.status.code, response.isGatewayMade ? "kong" : "service")
        }
        if let summary = response.summary {
            if configuration.latencyMetrics {
                observation.latencies = (summary.requestLatency, summary.upstreamLatency, summary.gatewayLatency)
            }
            if configuration.bandwidthMetrics {
                observation.bandwidth = (
                    ingress: Self.headSize(of: request) + summary.requestBodyBytes,
                    egress: Self.headSize(of: response) + summary.responseBodyBytes
                )
            }
        }
        self.metrics.observe(observation, on: request.eventLoop)
    }

    /// The bytes of the request line and headers, as the request went on.
    static func headSize(of request: PluginRequest) -> Int {
        var size = request.method.rawValue.utf8.count + 1 + request.path.utf8.count + " HTTP/1.1\r\n".utf8.count
        if let query = request.query { size += 1 + query.utf8.count }
        return size + Self.size(of: request.headers)
    }

    /// The bytes of the status line and headers the client got.
    static func headSize(of response: PluginResponse) -> Int {
        "HTTP/1.1 \(response.status.code) \(response.status.reasonPhrase)\r\n".utf8.count + Self.size(of: response.headers)
    }

    private static func size(of headers: HTTPHeaders) -> Int {
        headers.reduce(2) { $0 + $1.name.utf8.count + 2 + $1.value.utf8.count + 2 }
    }
}
