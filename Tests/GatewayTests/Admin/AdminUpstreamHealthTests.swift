import Foundation
import NIOHTTP1
import Testing

@testable import Gateway

@Suite struct AdminUpstreamHealthTests {
    private static func configuration(checks: Healthchecks = Healthchecks()) -> GatewayConfiguration {
        var upstream = Upstream(
            targets: [Target(host: "10.0.0.1", port: 8080), Target(host: "10.0.0.2", port: 8080, weight: 50)],
            algorithm: .leastConnections
        )
        upstream.healthchecks = checks
        return BalancingProxyTests.configuration(upstream)
    }

    private static func json(_ answer: AdminAnswer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
    }

    @Test func listsEachTargetWithItsHealthLikeKong() async throws {
        let api = try AdminAPI.testing(Self.configuration())
        let answer = await api.answer(.GET, "/upstreams/pool/health")
        #expect(answer.status == .ok)
        let body = try Self.json(answer)
        #expect(body["total"] as? Int == 2)
        #expect(body["next"] is NSNull)
        #expect(body["health"] as? String == "HEALTHY")
        #expect(body["algorithm"] as? String == "least-connections")
        let targets = try #require(body["data"] as? [[String: Any]])
        #expect(targets.map { $0["target"] as? String } == ["10.0.0.1:8080", "10.0.0.2:8080"])
        #expect(targets.map { $0["weight"] as? Int } == [100, 50])
        // Nothing is checked: Kong's HEALTHCHECKS_OFF.
        #expect(targets.allSatisfy { $0["health"] as? String == "HEALTHCHECKS_OFF" })
        let addresses = try #require((targets[0]["data"] as? [String: Any])?["addresses"] as? [[String: Any]])
        #expect(addresses.first?["ip"] as? String == "10.0.0.1")
        #expect(addresses.first?["port"] as? Int == 8080)
    }

    @Test func aTargetSetUnhealthyByHandShowsWhy() async throws {
        var checks = Healthchecks()
        checks.passive.unhealthy.httpFailures = 3
        let api = try AdminAPI.testing(Self.configuration(checks: checks))
        #expect(await api.answer(.POST, "/upstreams/pool/targets/10.0.0.2:8080/unhealthy").status == .noContent)
        let targets = try #require(try Self.json(await api.answer(.GET, "/upstreams/pool/health"))["data"] as? [[String: Any]])
        #expect(targets[0]["health"] as? String == "HEALTHY")
        #expect(targets[1]["health"] as? String == "UNHEALTHY")
        #expect(targets[1]["reason"] as? String == "set unhealthy through the admin API")
        #expect(targets[1]["changed_at"] is String)
        #expect(await api.answer(.POST, "/upstreams/pool/targets/10.0.0.2:8080/healthy").status == .noContent)
        let again = try #require(try Self.json(await api.answer(.GET, "/upstreams/pool/health"))["data"] as? [[String: Any]])
        #expect(again[1]["health"] as? String == "HEALTHY")
    }

    @Test func anUnknownServiceOrTargetIsNotFound() async throws {
        let api = try AdminAPI.testing(Self.configuration())
        #expect(await api.answer(.GET, "/upstreams/nope/health").status == .notFound)
        #expect(await api.answer(.POST, "/upstreams/pool/targets/10.9.9.9:1/healthy").status == .notFound)
        #expect(await api.answer(.DELETE, "/upstreams/pool/health").status == .methodNotAllowed)
    }
}

/// The admin listener of a running gateway, after passive checks took a target out.
@Suite struct AdminUpstreamHealthListenerTests {
    @Test func healthAndMetricsShowATargetPassiveChecksTookOut() async throws {
        try await withNamedUpstreams(["a", "b"]) { upstreams in
            var upstream = Upstream(targets: upstreams.map(\.target))
            upstream.healthchecks.passive.unhealthy.httpFailures = 1
            upstreams[1].answer(status: 500)
            try await withGateway(BalancingProxyTests.configuration(upstream)) { gateway in
                _ = try await BalancingProxyTests.names(gateway, count: 4)
                let admin = try await HTTPTestClient.connect(port: gateway.server.adminAddress.port!, group: gateway.clients)
                let health = try await admin.request(.GET, "/upstreams/pool/health")
                let metrics = try await admin.request(.GET, "/metrics")
                await admin.close()
                #expect(health.status == .ok)
                #expect(health.bodyText.contains(#""health":"UNHEALTHY","reason":"passive check: 1 HTTP failures in a row (last status 500)""#))
                let b = upstreams[1].target.description
                #expect(metrics.bodyText.contains(
                    #"acme_upstream_target_health{upstream="pool",target="\#(b)",address="\#(b)",state="unhealthy",subsystem="http"} 1"#))
                #expect(metrics.bodyText.contains(
                    #"acme_upstream_target_health{upstream="pool",target="\#(b)",address="\#(b)",state="healthy",subsystem="http"} 0"#))
            }
        }
    }
}
