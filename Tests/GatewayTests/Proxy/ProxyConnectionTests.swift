import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// Connection handling: keep-alive on both sides, pipelining, HTTP/1.0, HEAD, `Expect`, and upgrades.
@Suite struct ProxyConnectionTests {
    @Test func twoHundredRequestsOnOneConnectionReuseUpstreamConnections() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let client = try await gateway.httpClient()
                for index in 0..<200 {
                    let response = try await client.request(.GET, "/echo/n?i=\(index)")
                    try #require(response.status == .ok)
                    #expect(try response.echo().uri == "/n?i=\(index)")
                }
                #expect(client.isActive)
                await client.close()
                #expect(upstream.requestsSeen == 200)
                #expect(upstream.acceptedConnections <= 2)
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let received = try await gateway.raw(
                    "GET /echo/slow/300 HTTP/1.1\r\nHost: gateway.test\r\n\r\n"
                        + "GET /echo/second HTTP/1.1\r\nHost: gateway.test\r\n\r\n"
                        + "GET /echo/third HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n\r\n"
                )
                let responses = RawResponse.parseAll(received.bytes, closed: received.closed)
                try #require(responses.count == 3, "got: \(received.text)")
                let uris = try responses.map { try JSONDecoderHelper.echo($0.body).uri }
                #expect(uris == ["/slow/300", "/second", "/third"])
                #expect(received.closed)
            }
        }
    }

    /// More pipelined requests than the gateway keeps before it stops reading: all answered, in order.
    @Test func manyPipelinedRequestsAreAnsweredInOrder() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                var text = ""
                for index in 0..<150 {
                    let close = index == 149 ? "Connection: close\r\n" : ""
                    text += "GET /echo/n\(index) HTTP/1.1\r\nHost: gateway.test\r\n\(close)\r\n"
                }
                let received = try await gateway.raw(text)
                let responses = RawResponse.parseAll(received.bytes, closed: received.closed)
                try #require(responses.count == 150, "got \(responses.count) responses")
                let uris = try responses.map { try JSONDecoderHelper.echo($0.body).uri }
                #expect(uris == (0..<150).map { "/n\($0)" })
            }
        }
    }

    /// A pipelined request with a body, then one without: each reaches the upstream whole and in order.
    @Test func pipelinedRequestWithABodyThenAGet() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let received = try await gateway.raw(
                    "POST /echo/first HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 5\r\n\r\nhello"
                        + "GET /echo/second HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n\r\n"
                )
                let responses = RawResponse.parseAll(received.bytes, closed: received.closed)
                try #require(responses.count == 2, "got: \(received.text)")
                let first = try JSONDecoderHelper.echo(responses[0].body)
                #expect(first.uri == "/first")
                #expect(first.bodyBytes == 5)
                #expect(try JSONDecoderHelper.echo(responses[1].body).uri == "/second")
            }
        }
    }

    /// A stop lets the request in flight finish (its response says the connection closes), then the gateway
    /// accepts no more connections.
    @Test func stopFinishesTheRequestInFlight() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port), drainTimeout: .seconds(10)) { gateway in
                let client = try await gateway.rawClient()
                // The upstream answers after 3 s: time for the stop to begin first, even on a busy machine.
                try await client.send("GET /echo/slow/3000 HTTP/1.1\r\nHost: gateway.test\r\n\r\n")
                try await eventually("the request to reach the upstream") { upstream.requestsSeen == 1 }
                let stop = Task { await gateway.server.shutdown() }
                let received = try await client.readUntilClose(timeout: .seconds(10))
                let responses = RawResponse.parseAll(received.bytes, closed: received.closed)
                try #require(responses.count == 1, "got: \(received.text)")
                #expect(responses[0].status == 200)
                #expect(responses[0].value("connection") == "close")
                await stop.value
                await #expect(throws: (any Error).self) { try await gateway.rawClient() }
            }
        }
    }

    @Test func http10IsAnsweredAs10AndClosed() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let received = try await gateway.raw("GET /echo/old?x=1 HTTP/1.0\r\nHost: gateway.test\r\n\r\n")
                #expect(received.closed)
                let responses = RawResponse.parseAll(received.bytes, closed: received.closed)
                try #require(responses.count == 1, "got: \(received.text)")
                #expect(responses[0].version == "HTTP/1.0")
                #expect(responses[0].status == 200)
                #expect(try JSONDecoderHelper.echo(responses[0].body).uri == "/old?x=1")

                // A body of unknown length: delimited by the close, never chunked to a 1.0 client.
                let chunked = try await gateway.raw("GET /echo/chunked HTTP/1.0\r\n\r\n")
                #expect(chunked.closed)
                let parsed = RawResponse.parseAll(chunked.bytes, closed: true)
                try #require(parsed.count == 1, "got: \(chunked.text)")
                #expect(parsed[0].version == "HTTP/1.0")
                #expect(parsed[0].values("transfer-encoding").isEmpty)
                #expect(parsed[0].bodyText == "alphabetagamma")
            }
        }
    }

    /// 204 and 304 carry no body: the gateway adds no framing to them, and the connection serves the next request.
    @Test(arguments: [204, 304])
    func bodilessStatusKeepsTheConnection(status: Int) async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let received = try await gateway.raw(
                    "GET /echo/status/\(status) HTTP/1.1\r\nHost: gateway.test\r\n\r\n"
                        + "GET /echo/after HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n\r\n"
                )
                let responses = RawResponse.parseAll(received.bytes, closed: received.closed)
                try #require(responses.count == 2, "got: \(received.text)")
                #expect(responses[0].status == status)
                #expect(responses[0].body.isEmpty)
                #expect(responses[0].value("transfer-encoding") == nil)
                #expect(responses[0].value("etag") == "\"v1\"")
                #expect(try JSONDecoderHelper.echo(responses[1].body).uri == "/after")
            }
        }
    }

    @Test func headIsAnsweredWithoutBody() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let received = try await gateway.raw(
                    "HEAD /echo/download/1000 HTTP/1.1\r\nHost: gateway.test\r\n\r\n"
                        + "HEAD /echo/chunked HTTP/1.1\r\nHost: gateway.test\r\n\r\n"
                        + "GET /echo/after HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n\r\n"
                )
                let responses = RawResponse.parseAll(
                    received.bytes,
                    closed: received.closed,
                    headRequests: [true, true, false]
                )
                try #require(responses.count == 3, "got: \(received.text)")
                #expect(responses[0].status == 200)
                #expect(responses[0].body.isEmpty)
                #expect(responses[0].value("content-length") == "1000")
                #expect(responses[1].status == 200)
                // The HEAD bodies must not leak into the next response.
                #expect(responses[2].status == 200)
                #expect(try JSONDecoderHelper.echo(responses[2].body).uri == "/after")
            }
        }
    }

    @Test func expectContinueGets100ThenTheResponse() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let client = try await gateway.rawClient()
                try await client.send(
                    "POST /echo/expect HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 5\r\n"
                        + "Expect: 100-continue\r\nConnection: close\r\n\r\n"
                )
                let interim = try await client.read(timeout: .seconds(5)) { bytes in
                    String(decoding: bytes, as: UTF8.self).contains("\r\n\r\n")
                }
                #expect(interim.text.hasPrefix("HTTP/1.1 100 Continue\r\n"), "got: \(interim.text)")
                try await client.send("hello")
                let received = try await client.readUntilClose()
                let responses = RawResponse.parseAll(received.bytes, closed: received.closed)
                try #require(responses.count == 2, "got: \(received.text)")
                #expect(responses[0].status == 100)
                #expect(responses[1].status == 200)
                let echo = try JSONDecoderHelper.echo(responses[1].body)
                #expect(echo.bodyBytes == 5)
                #expect(echo.values("expect").isEmpty)
                await client.close()
            }
        }
    }

    @Test func websocketUpgradeTunnelsBytesBothWays() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let client = try await gateway.rawClient()
                try await client.send(
                    "GET /echo/ws HTTP/1.1\r\nHost: gateway.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
                )
                let head = try await client.read(timeout: .seconds(5)) { bytes in
                    String(decoding: bytes, as: UTF8.self).contains("\r\n\r\n")
                }
                #expect(head.text.hasPrefix("HTTP/1.1 101"), "got: \(head.text)")
                #expect(head.text.lowercased().contains("upgrade: websocket"))
                #expect(head.text.lowercased().contains("x-upstream-upgraded: yes"))
                let headLength = head.bytes.count

                try await client.send("ping-1234")
                let first = try await client.read(timeout: .seconds(5)) { bytes in
                    String(decoding: bytes.dropFirst(headLength), as: UTF8.self).contains("ping-1234")
                }
                #expect(String(decoding: first.bytes.dropFirst(headLength), as: UTF8.self) == "ping-1234")

                try await client.send([0x81, 0x00, 0xFF, 0x0D, 0x0A])
                let second = try await client.read(timeout: .seconds(5)) { bytes in
                    bytes.count >= headLength + 9 + 5
                }
                #expect(Array(second.bytes.dropFirst(headLength + 9)) == [0x81, 0x00, 0xFF, 0x0D, 0x0A])
                #expect(!second.closed)
                await client.close()
            }
        }
    }
}

/// More connection handling: what keeps a client connection open, and what closes it.
@Suite struct ProxyKeepAliveTests {
    @Test func connectionStaysOpenAfterGatewayMade404() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let client = try await gateway.httpClient()
                let missing = try await client.request(.GET, "/nowhere")
                #expect(missing.status == .notFound)
                #expect(!missing.headers["connection"].contains { $0.lowercased() == "close" })
                let next = try await client.request(.GET, "/echo/after-404")
                #expect(next.status == .ok)
                await client.close()
            }
        }
    }

    @Test func connectionStaysOpenAfterGatewayMade502() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let client = try await gateway.httpClient()
                #expect(try await client.request(.GET, "/echo/garbage").status == .badGateway)
                let next = try await client.request(.GET, "/echo/after-502")
                #expect(next.status == .ok)
                await client.close()
            }
        }
    }

    @Test func connectionCloseFromHTTP11ClientClosesAfterTheResponse() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let received = try await gateway.raw("GET /echo/bye HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n\r\n")
                #expect(received.closed)
                let responses = RawResponse.parseAll(received.bytes, closed: received.closed)
                try #require(responses.count == 1, "got: \(received.text)")
                #expect(responses[0].values("connection").map { $0.lowercased() } == ["close"])
            }
        }
    }

    @Test func http10KeepAliveStaysOpen() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let client = try await gateway.rawClient()
                try await client.send("GET /echo/one HTTP/1.0\r\nHost: gateway.test\r\nConnection: keep-alive\r\n\r\n")
                let first = try await client.read(timeout: .seconds(5)) { RawResponse.parseAll($0).count == 1 }
                let responses = RawResponse.parseAll(first.bytes)
                try #require(responses.count == 1, "got: \(first.text)")
                #expect(responses[0].version == "HTTP/1.0")
                #expect(responses[0].values("connection").map { $0.lowercased() } == ["keep-alive"])
                #expect(!first.closed)
                try await client.send("GET /echo/two HTTP/1.0\r\nHost: gateway.test\r\n\r\n")
                let both = try await client.readUntilClose(timeout: .seconds(5))
                let all = RawResponse.parseAll(both.bytes, closed: both.closed)
                try #require(all.count == 2, "got: \(both.text)")
                #expect(try JSONDecoderHelper.echo(all[1].body).uri == "/two")
                #expect(both.closed)
                await client.close()
            }
        }
    }

    @Test func absoluteFormTargetIsRoutedAndForwardedInOriginForm() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let received = try await gateway.raw(
                    "GET http://api.example.com/echo/abs?q=1 HTTP/1.1\r\nHost: api.example.com\r\nConnection: close\r\n\r\n"
                )
                let responses = RawResponse.parseAll(received.bytes, closed: received.closed)
                try #require(responses.count == 1, "got: \(received.text)")
                let echo = try JSONDecoderHelper.echo(responses[0].body)
                #expect(echo.uri == "/abs?q=1")
                #expect(echo.values("x-forwarded-host") == ["api.example.com"])
            }
        }
    }

    @Test func http11WithoutHostIs400() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let received = try await gateway.raw("GET /echo/no-host HTTP/1.1\r\n\r\n")
                let responses = RawResponse.parseAll(received.bytes, closed: received.closed)
                #expect(responses.map(\.status) == [400], "got: \(received.text)")
                #expect(upstream.requestsSeen == 0)
            }
        }
    }

    @Test func upstreamLatencyHeaderCoversTheUpstreamsDelay() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let response = try await gateway.request(.GET, "/echo/slow/200")
                #expect(response.status == .ok)
                let latency = response.headers.first(name: "x-gateway-upstream-latency").flatMap { Int($0) }
                #expect((latency ?? 0) >= 200, "upstream latency \(String(describing: latency))")
            }
        }
    }

    /// Like NGINX (and so Kong), the gateway does not pass interim responses on; the final one must still be
    /// framed right, and the connection stay usable.
    @Test func informationalResponseFromUpstreamDoesNotBreakFraming() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let received = try await gateway.raw(
                    "GET /echo/early-hints HTTP/1.1\r\nHost: gateway.test\r\n\r\n"
                        + "GET /echo/next HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n\r\n"
                )
                let responses = RawResponse.parseAll(received.bytes, closed: received.closed).filter { $0.status >= 200 }
                try #require(responses.map(\.status) == [200, 200], "got: \(received.text)")
                #expect(try JSONDecoderHelper.echo(responses[0].body).uri == "/early-hints")
                #expect(try JSONDecoderHelper.echo(responses[1].body).uri == "/next")
            }
        }
    }

    @Test func websocketBytesSentWithTheUpgradeRequestAreTunnelled() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let client = try await gateway.rawClient()
                try await client.send(
                    "GET /echo/ws HTTP/1.1\r\nHost: gateway.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nearly-bytes"
                )
                let received = try await client.read(timeout: .seconds(5)) { bytes in
                    String(decoding: bytes, as: UTF8.self).contains("early-bytes")
                }
                #expect(received.text.hasPrefix("HTTP/1.1 101"), "got: \(received.text)")
                #expect(received.text.hasSuffix("\r\n\r\nearly-bytes"), "got: \(received.text)")
                await client.close()
            }
        }
    }

    /// An upgrade the upstream declines is an ordinary exchange, after which the connection closes: NIO's request
    /// decoder reads nothing after an upgrade request, so a request sent next would hang.
    @Test func declinedUpgradeIsAnsweredAndClosed() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                for path in ["/echo/declined", "/nowhere"] {
                    let received = try await gateway.raw(
                        "GET \(path) HTTP/1.1\r\nHost: gateway.test\r\nUpgrade: not-supported\r\nConnection: Upgrade\r\n\r\n",
                        timeout: .seconds(5)
                    )
                    let responses = RawResponse.parseAll(received.bytes, closed: received.closed)
                    #expect(responses.map(\.status) == [path == "/nowhere" ? 404 : 200], "got: \(received.text)")
                    #expect(responses.first?.values("connection").map { $0.lowercased() } == ["close"])
                    #expect(received.closed, "the connection was left open after a declined upgrade to \(path)")
                }
            }
        }
    }
}
