import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// Client idle and header timeouts and the connection limit, on real sockets.
@Suite struct ClientLimitsTests {
    @Test func idleKeepAliveConnectionIsClosed() async throws {
        let limits = ClientLimits(headerTimeout: .seconds(60), keepaliveTimeout: .milliseconds(300))
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port), clientLimits: limits) { gateway in
                let connection = try await WatchedConnection.connect(port: gateway.port, group: gateway.clients)
                try await connection.send("GET /echo/a HTTP/1.1\r\nHost: gateway.test\r\n\r\n")
                let received = try await connection.receivedUntilClose()
                await connection.close()
                #expect(received.hasPrefix("HTTP/1.1 200 OK"))
                #expect(!received.lowercased().contains("connection: close"))
            }
        }
    }

    @Test func connectionThatSendsNothingIsClosedAfterTheHeaderTimeout() async throws {
        let limits = ClientLimits(headerTimeout: .milliseconds(300), keepaliveTimeout: .seconds(75))
        try await withGateway(TestConfig.echo(port: 9), clientLimits: limits) { gateway in
            let connection = try await WatchedConnection.connect(port: gateway.port, group: gateway.clients)
            let received = try await connection.receivedUntilClose()
            await connection.close()
            #expect(received.isEmpty)
        }
    }

    /// A slowloris client trickles a header line every 100 ms and never ends its head: it is answered 408 and
    /// closed once the header timeout (counted from its accept) passes, and the one event loop serves other
    /// clients meanwhile.
    @Test func slowHeadIsAnswered408AndDoesNotHoldTheLoop() async throws {
        let limits = ClientLimits(headerTimeout: .seconds(2), keepaliveTimeout: .seconds(75))
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port), clientLimits: limits) { gateway in
                let slow = try await WatchedConnection.connect(port: gateway.port, group: gateway.clients)
                try await slow.send("GET /echo/slow HTTP/1.1\r\nHost: gateway.test\r\n")
                let trickle = Task {
                    var line = 0
                    while !Task.isCancelled {
                        try await slow.send("X-Line-\(line): waiting\r\n")
                        line += 1
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                let client = try await gateway.httpClient()
                for index in 0..<10 {
                    let response = try await client.request(.GET, "/echo/other?i=\(index)")
                    #expect(response.status == .ok)
                }
                await client.close()
                let received = try await slow.receivedUntilClose()
                trickle.cancel()
                _ = await trickle.result
                await slow.close()
                #expect(received.hasPrefix("HTTP/1.1 408 Request Timeout"))
                #expect(received.lowercased().contains("connection: close"))
                #expect(received.hasSuffix(#"{"message":"Request timeout"}"#))
                #expect(upstream.requestsSeen == 10)
            }
        }
    }

    @Test func timeoutsDoNotCutARequestInProgress() async throws {
        // The request must reach the gateway within the header timeout (3 s: room for a loaded machine); the upstream
        // then takes more than twice as long.
        let limits = ClientLimits(headerTimeout: .seconds(3), keepaliveTimeout: .seconds(3))
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port), clientLimits: limits) { gateway in
                let response = try await gateway.request(.GET, "/echo/slow/7000")
                #expect(response.status == .ok)
                #expect(try response.echo().uri == "/slow/7000")
            }
        }
    }

    @Test func connectionsBeyondTheLimitAreClosedAtOnce() async throws {
        let limits = ClientLimits(maxConnections: 2)
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port), clientLimits: limits) { gateway in
                let first = try await gateway.httpClient()
                let second = try await gateway.httpClient()
                #expect(try await first.request(.GET, "/echo/1").status == .ok)
                #expect(try await second.request(.GET, "/echo/2").status == .ok)

                let refused = try await WatchedConnection.connect(port: gateway.port, group: gateway.clients)
                #expect(try await refused.receivedUntilClose().isEmpty)
                await refused.close()
                let statistics = gateway.server.statistics
                #expect(statistics.connectionsRefused == 1)
                #expect(statistics.connectionsAccepted == 3)
                #expect(upstream.requestsSeen == 2)

                await first.close()
                try await eventually("the closed connection to leave the count") {
                    statistics.connectionsActive == 1
                }
                let third = try await gateway.httpClient()
                #expect(try await third.request(.GET, "/echo/4").status == .ok)
                await third.close()
                await second.close()
            }
        }
    }
}
