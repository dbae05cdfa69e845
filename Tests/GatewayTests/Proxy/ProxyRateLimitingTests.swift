import GatewayPlugins
import NIOHTTP1
import Testing

@testable import Gateway

/// rate-limiting through a running gateway: headers on the upstream's answers, Kong's 429, and local counters that
/// a reload keeps (they are one of the gateway's shared resources).
@Suite struct ProxyRateLimitingTests {
    private static func configuration(port: Int, hour: Int) throws -> GatewayConfiguration {
        try ConfigLoader.load(
            pluginsFile: #"{"plugins": [{"name": "rate-limiting", "config": {"hour": \#(hour), "limit_by": "ip"}}]}"#,
            routeFiles: [("routes/echo.json", #"{"service": {"name": "echo", "url": "http://127.0.0.1:\#(port)"}, "routes": [{"name": "echo", "paths": ["/echo"]}]}"#)],
            environment: [:],
            plugins: BundledPlugins.registry
        )
    }

    @Test func countsAcrossReloadsAndAnswers429() async throws {
        try await withTestUpstream { upstream in
            let configuration = try Self.configuration(port: upstream.port, hour: 2)
            try await withGateway(configuration, plugins: BundledPlugins.registry) { gateway in
                let first = try await gateway.request(.GET, "/echo/a")
                #expect(first.status == .ok)
                #expect(first.headers["X-RateLimit-Limit-Hour"] == ["2"])
                #expect(first.headers["X-RateLimit-Remaining-Hour"] == ["1"])
                #expect(first.headers["RateLimit-Remaining"] == ["1"])

                try gateway.server.reload(configuration)
                #expect(try await gateway.request(.GET, "/echo/a").status == .ok)
                let refused = try await gateway.request(.GET, "/echo/a")
                #expect(refused.status == .tooManyRequests)
                #expect(refused.bodyText == #"{"message":"API rate limit exceeded"}"#)
                #expect(refused.headers["Retry-After"].count == 1)

                // A new limit applies to the counts so far.
                try gateway.server.reload(try Self.configuration(port: upstream.port, hour: 3))
                let raised = try await gateway.request(.GET, "/echo/a")
                #expect(raised.status == .ok)
                #expect(raised.headers["X-RateLimit-Remaining-Hour"] == ["0"])
            }
        }
    }
}
