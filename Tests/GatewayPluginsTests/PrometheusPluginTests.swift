import Gateway
import GatewayTesting
import NIOHTTP1
import Testing

@testable import GatewayPlugins

/// Kong's `prometheus` through the harness: what each switch records, under Kong's names with the `acme_` prefix.
@Suite struct PrometheusPluginTests {
    private static let everything = #"{"status_code_metrics": true, "latency_metrics": true, "bandwidth_metrics": true}"#

    @Test func countsRequestsByServiceRouteCodeAndSource() async throws {
        let harness = try PluginHarness(chain: [(PrometheusPlugin.self, Self.everything), (KeyAuthPlugin.self, "{}")])
        _ = try await harness.run(TestRequest())  // key-auth answers 401
        _ = try await harness.run(TestRequest(.GET, "/x", headers: ["apikey": "nope"]))
        let text = try await harness.metricsText()
        #expect(text.contains("# TYPE acme_http_requests_total counter"))
        #expect(
            text.contains(
                #"acme_http_requests_total{service="test-service",route="test-route",code="401",source="kong",workspace="default",consumer=""} 2"#
            )
        )
        #expect(text.contains(#"acme_request_latency_ms_bucket{service="test-service",route="test-route",workspace="default",le="25.0"} 2"#))
        #expect(text.contains(#"acme_request_latency_ms_count{service="test-service",route="test-route",workspace="default"} 2"#))
        // Answered by a plugin: no upstream latency.
        #expect(!text.contains("acme_upstream_latency_ms_count"))
        #expect(text.contains(#"acme_bandwidth_bytes{service="test-service",route="test-route",direction="egress",workspace="default",consumer=""}"#))
    }

    @Test func upstreamAnswersAreCountedAsTheServicesWithTheirConsumer() async throws {
        let harness = try PluginHarness(
            PrometheusPlugin.self,
            config: #"{"status_code_metrics": true, "per_consumer": true}"#,
            consumers: #"[{"username": "app"}]"#
        )
        for _ in 0..<3 { _ = try await harness.run(TestRequest(consumer: "app", credentialIdentifier: "k"), upstream: TestResponse(status: .created)) }
        let text = try await harness.metricsText()
        #expect(text.contains(#"code="201",source="service",workspace="default",consumer="app"} 3"#))
        #expect(!text.contains("acme_request_latency_ms"))
        #expect(!text.contains("acme_bandwidth_bytes"))
    }

    @Test func nothingIsRecordedWithEverySwitchOff() async throws {
        let harness = try PluginHarness(PrometheusPlugin.self)
        _ = try await harness.run(TestRequest())
        #expect(try await !harness.metricsText().contains("acme_http_requests_total"))
    }

    @Test func unsupportedSwitchesAreLoadErrors() {
        #expect {
            try PluginHarness(PrometheusPlugin.self, config: #"{"ai_metrics": true}"#)
        } throws: { error in
            (error as? ConfigErrors)?.errors.map(\.description)
                == ["plugins.json: plugins[0].config.ai_metrics: expected false (the gateway has no AI plugins), got true"]
        }
        #expect(PrometheusPlugin.priority == 13)
    }
}
