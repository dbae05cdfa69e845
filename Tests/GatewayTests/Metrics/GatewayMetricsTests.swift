import NIOCore
import NIOPosix
import Testing

@testable import Gateway

/// The metrics' exposition: histograms cumulative with `+Inf`, label values escaped, every loop's share merged.
@Suite struct GatewayMetricsTests {
    @Test func histogramBucketsAreCumulative() {
        var histogram = LatencyHistogram(bounds: [10, 100])
        for value: Int64 in [1, 10, 11, 500] { histogram.observe(value) }
        var text = PrometheusText()
        text.histogram("x_ms", labels: [("route", "r")], histogram)
        #expect(text.text == """
            x_ms_bucket{route="r",le="10.0"} 2
            x_ms_bucket{route="r",le="100.0"} 3
            x_ms_bucket{route="r",le="+Inf"} 4
            x_ms_sum{route="r"} 522
            x_ms_count{route="r"} 4

            """)
    }

    @Test func labelValuesAreEscaped() {
        #expect(PrometheusText.escaped(#"a"b\c"# + "\n") == #"a\"b\\c\n"#)
    }

    @Test func everyLoopsShareIsMerged() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let statistics = ConnectionStatistics()
        let metrics = GatewayMetrics(group: group, connections: statistics)
        let family = CounterFamily(name: "acme_test_total", help: "Test events", labelNames: ["kind"])
        for loop in group.makeIterator() {
            try await loop.submit {
                metrics.observe(RequestObservation(service: "s", route: "r", status: (200, "service")), on: loop)
                metrics.increment(family, labels: ["a"], on: loop)
            }.get()
        }
        let text = try await metrics.render(on: group.next()).get()
        #expect(text.contains(#"acme_http_requests_total{service="s",route="r",code="200",source="service",workspace="default",consumer=""} 2"#))
        #expect(text.contains("# TYPE acme_test_total counter\n" + #"acme_test_total{kind="a"} 2"#))
        #expect(text.contains(#"acme_nginx_connections_total{node_id=""#))
        #expect(text.contains(#"acme_nginx_requests_total{node_id=""#))
        try await group.shutdownGracefully()
    }
}
