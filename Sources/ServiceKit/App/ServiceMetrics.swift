import Hummingbird
import Metrics
import NIOCore
import Prometheus

/// The process' swift-metrics backend: a Prometheus registry, bootstrapped once per process on first use, and
/// served as Prometheus text at `GET /metrics`. Hummingbird's `MetricsMiddleware` records the requests
/// (`hb_requests`, `hb_request_duration`, `hb_active_requests`); services add their own counters through
/// swift-metrics.
public enum ServiceMetrics {
    /// The registry every metric of the process lands in.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    static func add(to router: Router<ServiceRequestContext>) {
        let registry = Self.registry
        router.get("/metrics") { _, _ in
            var bytes: [UInt8] = []
            registry.emit(into: &bytes)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
