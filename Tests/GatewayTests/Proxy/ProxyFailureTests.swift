import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// Upstreams that refuse, break or stall, and retries to the next target.
@Suite struct ProxyFailureTests {
    static let badGatewayBody = #"{"message":"An invalid response was received from the upstream server"}"#

    @Test func refusedConnectionIs502() async throws {
        let refusing = try RefusingPort()
        defer { refusing.close() }
        let configuration = GatewayConfiguration(services: [
            TestConfig.service(
                targets: [Target(host: "127.0.0.1", port: refusing.port)],
                retries: 1,
                routes: [TestConfig.route("r", paths: ["/echo"])]
            )
        ])
        try await withGateway(configuration) { gateway in
            let response = try await gateway.request(.GET, "/echo/x")
            #expect(response.status == .badGateway)
            #expect(response.bodyText == Self.badGatewayBody)
        }
    }

    @Test func noTargetWithAWeightIs503() async throws {
        try await withTestUpstream { upstream in
            let configuration = GatewayConfiguration(services: [
                TestConfig.service(
                    targets: [Target(host: "127.0.0.1", port: upstream.port, weight: 0)],
                    routes: [TestConfig.route("r", paths: ["/echo"])]
                )
            ])
            try await withGateway(configuration) { gateway in
                let response = try await gateway.request(.GET, "/echo/x")
                #expect(response.status == .serviceUnavailable)
                #expect(response.bodyText == #"{"message":"failure to get a peer from the ring-balancer"}"#)
                #expect(upstream.requestsSeen == 0)
            }
        }
    }

    @Test func upstreamClosingWithoutAnswerIs502() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let response = try await gateway.request(.GET, "/echo/close")
                #expect(response.status == .badGateway)
                #expect(response.bodyText == Self.badGatewayBody)
                #expect(upstream.requestsSeen >= 1)
            }
        }
    }

    @Test func upstreamSendingGarbageIs502() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let response = try await gateway.request(.GET, "/echo/garbage")
                #expect(response.status == .badGateway)
                #expect(response.bodyText == Self.badGatewayBody)

                // The gateway keeps serving afterwards.
                let afterwards = try await gateway.request(.GET, "/echo/fine").status
                #expect(afterwards == .ok)
            }
        }
    }

    @Test func slowUpstreamIs504WellBeforeItAnswers() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port, readTimeout: 300)) { gateway in
                // The upstream would answer 200 after 10 s: a 504 is the gateway's, at its read timeout.
                let response = try await gateway.request(.GET, "/echo/slow/10000")
                #expect(response.status == .gatewayTimeout)
                #expect(response.bodyText == #"{"message":"The upstream server is timing out"}"#)
            }
        }
    }

    /// A service whose targets are a refusing port and then a live upstream, with two retries.
    private static func deadThenLive(dead: Int, live: Int) -> GatewayConfiguration {
        GatewayConfiguration(services: [
            TestConfig.service(
                targets: [Target(host: "127.0.0.1", port: dead), Target(host: "127.0.0.1", port: live)],
                retries: 2,
                routes: [TestConfig.route("r", paths: ["/echo"])]
            )
        ])
    }

    @Test func retriesOnTheNextTargetEvenForPost() async throws {
        let dead = try RefusingPort()
        defer { dead.close() }
        try await withTestUpstream { upstream in
            let configuration = Self.deadThenLive(dead: dead.port, live: upstream.port)
            try await withGateway(configuration) { gateway in
                // Round-robin over two targets: at least one of these goes to the dead one first.
                for index in 0..<4 {
                    let response = try await gateway.request(
                        .POST,
                        "/echo/order/\(index)",
                        headers: [("content-length", "5")],
                        body: [ByteBuffer(string: "hello")]
                    )
                    #expect(response.status == .ok)
                    let echo = try response.echo()
                    #expect(echo.method == "POST")
                    #expect(echo.bodyBytes == 5)
                }
                #expect(upstream.requestsSeen == 4)
            }
        }
    }

    @Test func retriesOnTheNextTargetWithABodyOverTheReplayLimit() async throws {
        let dead = try RefusingPort()
        defer { dead.close() }
        try await withTestUpstream { upstream in
            let configuration = Self.deadThenLive(dead: dead.port, live: upstream.port)
            try await withGateway(configuration) { gateway in
                let total = 1024 * 1024
                for index in 0..<2 {
                    let response = try await gateway.request(
                        .POST,
                        "/echo/big/\(index)",
                        headers: [("content-length", String(total))],
                        body: ProxyBodyTests.parts(total: total)
                    )
                    #expect(response.status == .ok)
                    let echo = try response.echo()
                    #expect(echo.bodyBytes == total)
                    #expect(echo.bodyHash == TestBytes.hash(count: total))
                }
            }
        }
    }

    @Test func upstreamClosingMidBodyCutsTheClientShort() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let received = try await gateway.raw("GET /echo/truncate HTTP/1.1\r\nHost: gateway.test\r\n\r\n")
                #expect(received.closed, "the client connection was left open")
                #expect(received.text.hasPrefix("HTTP/1.1 200"))
                #expect(RawResponse.parseAll(received.bytes).isEmpty, "a truncated body looked complete")
                let next = try await gateway.request(.GET, "/echo/after")
                #expect(next.status == .ok)
            }
        }
    }

    @Test func upstreamStallingMidBodyIsCutAfterTheReadTimeout() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port, readTimeout: 300)) { gateway in
                let received = try await gateway.raw(
                    "GET /echo/stall HTTP/1.1\r\nHost: gateway.test\r\n\r\n",
                    timeout: .seconds(30)
                )
                #expect(received.closed, "the client connection was left open")
                #expect(received.text.hasPrefix("HTTP/1.1 200"))
            }
        }
    }

    @Test func closeDelimitedUpstreamResponseIsReframed() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let client = try await gateway.httpClient()
                let response = try await client.request(.GET, "/echo/close-delimited")
                #expect(response.status == .ok)
                #expect(response.bodyText == "read until the close")
                let next = try await client.request(.GET, "/echo/next")
                #expect(try next.echo().uri == "/next")
                await client.close()
            }
        }
    }

    /// An upstream that stops reading the request body fails the exchange after `write_timeout`, as Kong does.
    @Test func upstreamNotReadingTheBodyIs504AfterTheWriteTimeout() async throws {
        let total = 256 * 1024 * 1024
        let chunk = [UInt8](repeating: 0x61, count: 64 * 1024)
        try await withTestUpstream { upstream in
            let configuration = GatewayConfiguration(services: [
                TestConfig.service(
                    targets: [Target(host: "127.0.0.1", port: upstream.port)],
                    writeTimeout: 300,
                    routes: [TestConfig.route("r", paths: ["/echo"])]
                )
            ])
            try await withGateway(configuration) { gateway in
                let client = try await gateway.rawClient()
                let sender = Task {
                    try await client.send("POST /echo/no-read HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: \(total)\r\n\r\n")
                    for _ in 0..<(total / chunk.count) { try await client.send(chunk) }
                }
                // A guard against hanging, generous for a loaded machine: the answer comes at the write timeout, the
                // close once the gateway has dropped another MiB of the body.
                let received = try await client.readUntilClose(timeout: .seconds(90))
                let responses = RawResponse.parseAll(received.bytes, closed: received.closed)
                #expect(responses.map(\.status) == [504], "got: \(received.text)")
                #expect(received.closed)
                await client.close()
                _ = await sender.result
            }
        }
    }
}
