import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// What the proxy sends upstream and back: paths, query, `Host`, the forwarding headers, and what it removes.
@Suite struct ProxyForwardingTests {
    @Test func forwardsStrippedPathWithServicePathAndQueryByteForByte() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port, path: "/v1")) { gateway in
                let response = try await gateway.request(.GET, "/echo/items/7?a=1&b=%20x&&c=")
                #expect(response.status == .ok)
                let echo = try response.echo()
                #expect(echo.method == "GET")
                #expect(echo.uri == "/v1/items/7?a=1&b=%20x&&c=")

                let bare = try await gateway.request(.GET, "/echo").echo().uri
                #expect(bare == "/v1")
                let emptyQuery = try await gateway.request(.GET, "/echo?").echo().uri
                #expect(emptyQuery == "/v1?")
                let kept = try await gateway.request(.GET, "/keep/x?y=%2F").echo().uri
                #expect(kept == "/v1/keep/x?y=%2F")
            }
        }
    }

    @Test func forwardsWithoutServicePath() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let nested = try await gateway.request(.GET, "/echo/a/b?q").echo().uri
                #expect(nested == "/a/b?q")
                let root = try await gateway.request(.GET, "/echo").echo().uri
                #expect(root == "/")
                let keptRoute = try await gateway.request(.GET, "/keep/a").echo().uri
                #expect(keptRoute == "/keep/a")
            }
        }
    }

    @Test func setsForwardingHeadersViaAndUpstreamHost() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let response = try await gateway.request(
                    .GET,
                    "/echo/h?x=1",
                    headers: [
                        ("host", "api.example.com:8443"), ("via", "1.0 corporate-proxy"),
                        ("x-forwarded-for", "10.1.2.3"), ("x-forwarded-proto", "https"),
                        ("x-forwarded-host", "evil.example"), ("x-forwarded-port", "1"),
                        ("x-forwarded-path", "/evil"), ("x-real-ip", "10.9.9.9"),
                    ]
                )
                #expect(response.status == .ok)
                let echo = try response.echo()
                #expect(echo.values("host") == ["127.0.0.1:\(upstream.port)"])
                // The peer is not trusted: its claims are replaced, and it is appended to X-Forwarded-For.
                #expect(echo.values("x-forwarded-for") == ["10.1.2.3, 127.0.0.1"])
                #expect(echo.values("x-real-ip") == ["127.0.0.1"])
                #expect(echo.values("x-forwarded-proto") == ["http"])
                #expect(echo.values("x-forwarded-host") == ["api.example.com"])
                #expect(echo.values("x-forwarded-port") == [String(gateway.port)])
                #expect(echo.values("x-forwarded-path") == ["/echo/h"])
                let via = echo.values("via").joined(separator: ", ")
                #expect(via.hasPrefix("1.0 corporate-proxy, 1.1 "))
                #expect(via.contains(GatewayVersion.product))

                #expect(response.headers["via"].joined(separator: ", ").contains("1.1 " + GatewayVersion.product))
                #expect(response.headers["x-upstream"] == ["test"])
                let upstreamLatency = response.headers.first(name: "x-gateway-upstream-latency").flatMap { Int($0) }
                let proxyLatency = response.headers.first(name: "x-gateway-proxy-latency").flatMap { Int($0) }
                #expect(upstreamLatency.map { $0 >= 0 } == true)
                #expect(proxyLatency.map { $0 >= 0 } == true)
            }
        }
    }

    @Test func preserveHostSendsTheClientsHost() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port, preserveHost: true)) { gateway in
                let echo = try await gateway.request(.GET, "/echo/p", headers: [("host", "api.example.com:8443")]).echo()
                #expect(echo.values("host") == ["api.example.com:8443"])
                #expect(echo.values("x-forwarded-host") == ["api.example.com"])
            }
        }
    }

    @Test func trustedPeerNamesTheClient() async throws {
        let trusted = try TrustedAddresses(parsing: "127.0.0.1")
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port), trusted: trusted) { gateway in
                let echo = try await gateway.request(
                    .GET,
                    "/echo/t",
                    headers: [
                        ("x-forwarded-for", "203.0.113.9, 127.0.0.1"), ("x-forwarded-proto", "https"),
                        ("x-forwarded-host", "public.example"), ("x-forwarded-port", "443"),
                    ]
                ).echo()
                #expect(echo.values("x-real-ip") == ["203.0.113.9"])
                #expect(echo.values("x-forwarded-for") == ["203.0.113.9, 127.0.0.1, 127.0.0.1"])
                #expect(echo.values("x-forwarded-proto") == ["https"])
                #expect(echo.values("x-forwarded-host") == ["public.example"])
                #expect(echo.values("x-forwarded-port") == ["443"])

                // Without X-Forwarded-For the trusted peer itself is the client.
                let direct = try await gateway.request(.GET, "/echo/t").echo()
                #expect(direct.values("x-real-ip") == ["127.0.0.1"])
            }
        }
    }

    @Test func unmatchedPathIsAnsweredWithKongs404() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let response = try await gateway.request(.GET, "/nowhere")
                #expect(response.status == .notFound)
                #expect(response.bodyText == #"{"message":"no Route matched with those values"}"#)
                #expect(response.headers.first(name: "content-type")?.hasPrefix("application/json") == true)
                #expect(upstream.requestsSeen == 0)
            }
        }
    }

    @Test func removesHopByHopHeadersBothWays() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let response = try await gateway.request(
                    .GET,
                    "/echo/hop",
                    headers: [
                        ("connection", "keep-alive, X-Hop-Request"), ("x-hop-request", "secret"),
                        ("keep-alive", "timeout=5"), ("proxy-authorization", "Basic YTpi"), ("te", "trailers"),
                        ("trailer", "x-checksum"), ("proxy-connection", "keep-alive"), ("upgrade", "h2c"),
                        ("x-end-to-end", "kept"),
                    ]
                )
                #expect(response.status == .ok)
                let echo = try response.echo()
                for name in [
                    "x-hop-request", "keep-alive", "proxy-authorization", "te", "trailer", "proxy-connection", "upgrade",
                ] {
                    #expect(echo.values(name).isEmpty, "request header \(name) was forwarded")
                }
                #expect(!echo.values("connection").joined().lowercased().contains("x-hop-request"))
                #expect(echo.values("x-end-to-end") == ["kept"])

                for name in ["x-hop-response", "keep-alive", "proxy-authenticate"] {
                    #expect(response.headers[name].isEmpty, "response header \(name) was forwarded")
                }
                #expect(!response.headers["connection"].joined().lowercased().contains("x-hop-response"))
                #expect(response.headers["x-end-to-end"] == ["kept"])
                #expect(response.headers["via"].joined(separator: ", ") == "1.0 upstream-cache, 1.1 " + GatewayVersion.product)
            }
        }
    }

    @Test func removesCallerIdentitySentByTheClient() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let echo = try await gateway.request(
                    .GET,
                    "/echo/me",
                    headers: [
                        ("X-Consumer-ID", "admin"), ("x-consumer-username", "root"),
                        ("X-Credential-Identifier", "key-1"), ("X-Authenticated-Userid", "42"),
                        ("x-authenticated-scope", "admin"),
                        ("x-custom", "kept"),
                    ]
                ).echo()
                for name in [
                    "x-consumer-id", "x-consumer-username", "x-credential-identifier", "x-authenticated-userid",
                    "x-authenticated-scope",
                ] {
                    #expect(echo.values(name).isEmpty, "\(name) reached the upstream")
                }
                #expect(echo.values("x-custom") == ["kept"])
            }
        }
    }
}
