import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// Plugin chains through a running gateway: on one route, off on another, a service's setting overridden by a
/// route, an access phase answering the request itself, and a response phase editing the client's headers.
@Suite struct ProxyPluginTests {
    private static func configuration(port: Int) throws -> GatewayConfiguration {
        let plugins = #"{"plugins": [{"name": "tag", "config": {"tag": "global"}}]}"#
        let routes = """
            {"service": {"name": "echo", "url": "http://127.0.0.1:\(port)", "plugins": {"tag": {"tag": "service"}}},
             "routes": [
               {"name": "on", "paths": ["/on"]},
               {"name": "off", "paths": ["/off"], "plugins": {"tag": false}},
               {"name": "mine", "paths": ["/mine"], "plugins": {"tag": {"tag": "route"}}}
             ]}
            """
        return try ConfigLoader.load(
            pluginsFile: plugins,
            routeFiles: [("routes/echo.json", routes)],
            environment: [:],
            plugins: testPlugins
        )
    }

    @Test func routesRunTheirOwnChain() async throws {
        try await withTestUpstream { upstream in
            let configuration = try Self.configuration(port: upstream.port)
            try await withGateway(configuration, plugins: testPlugins) { gateway in
                let on = try await gateway.request(.GET, "/on/x")
                #expect(try JSONDecoderHelper.echo(Array(buffer: on.body)).value("x-tag") == "service")
                #expect(on.headers.first(name: "x-seen-tag") == "service")

                let off = try await gateway.request(.GET, "/off/x")
                #expect(try JSONDecoderHelper.echo(Array(buffer: off.body)).value("x-tag") == nil)
                #expect(off.headers.first(name: "x-seen-tag") == nil)

                let mine = try await gateway.request(.GET, "/mine/x")
                #expect(try JSONDecoderHelper.echo(Array(buffer: mine.body)).value("x-tag") == "route")
            }
        }
    }

    @Test func accessPhaseAnswersWithoutReachingTheUpstream() async throws {
        try await withTestUpstream { upstream in
            let configuration = try Self.configuration(port: upstream.port)
            try await withGateway(configuration, plugins: testPlugins) { gateway in
                let before = upstream.requestsSeen
                let blocked = try await gateway.request(.GET, "/on/x", headers: [("X-Block", "1")])
                #expect(blocked.status == .forbidden)
                #expect(blocked.bodyText == #"{"message":"blocked by service"}"#)
                #expect(blocked.headers.first(name: "content-type") == "application/json; charset=utf-8")
                #expect(upstream.requestsSeen == before)
                // The connection's next request is served normally.
                let after = try await gateway.request(.GET, "/off/x", headers: [("X-Block", "1")])
                #expect(after.status == .ok)
            }
        }
    }
}

extension Array where Element == UInt8 {
    init(buffer: ByteBuffer) {
        self = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
    }
}

/// The phases beyond a plain access check, through a running gateway: a deferred decision, a request body read as
/// it streams, a response body collected and rewritten, and gateway-made errors going through the chain.
@Suite struct ProxyPluginPhaseTests {
    private static func configuration(port: Int, routes: String) throws -> GatewayConfiguration {
        try ConfigLoader.load(
            pluginsFile: "{}",
            routeFiles: [("routes/echo.json", #"{"service": {"name": "echo", "url": "http://127.0.0.1:\#(port)"}, "routes": [\#(routes)]}"#)],
            environment: [:],
            plugins: testPlugins
        )
    }

    @Test func deferredDecisionLetsTheRequestAndItsBodyThrough() async throws {
        try await withTestUpstream { upstream in
            let configuration = try Self.configuration(port: upstream.port, routes: #"{"paths": ["/"], "plugins": {"wait": true}}"#)
            try await withGateway(configuration, plugins: testPlugins) { gateway in
                let client = try await gateway.httpClient()
                for _ in 0..<3 {
                    let body = TestBytes.buffer(offset: 0, count: 100_000)
                    let response = try await client.request(.POST, "/echo", headers: [("content-length", "100000")], body: [body])
                    let echo = try response.echo()
                    #expect(echo.value("x-waited") == "yes")
                    #expect(echo.bodyBytes == 100_000)
                    #expect(echo.bodyHash == TestBytes.hash(count: 100_000))
                }
                await client.close()
            }
        }
    }

    @Test func deferredRefusalNeverReachesTheUpstream() async throws {
        try await withTestUpstream { upstream in
            let configuration = try Self.configuration(port: upstream.port, routes: #"{"paths": ["/"], "plugins": {"wait": true}}"#)
            try await withGateway(configuration, plugins: testPlugins) { gateway in
                let before = upstream.requestsSeen
                let client = try await gateway.httpClient()
                let refused = try await client.request(.GET, "/echo", headers: [("X-Deny", "1")])
                #expect(refused.status == .unauthorized)
                #expect(refused.bodyText == #"{"message":"denied later"}"#)
                #expect(try await client.request(.GET, "/echo").status == .ok)
                await client.close()
                #expect(upstream.requestsSeen == before + 1)
            }
        }
    }

    @Test func bodyPluginStopsAChunkedBodyAsItStreams() async throws {
        try await withTestUpstream { upstream in
            let configuration = try Self.configuration(port: upstream.port, routes: #"{"paths": ["/"], "plugins": {"limit": {"limit": 1000}}}"#)
            try await withGateway(configuration, plugins: testPlugins) { gateway in
                let small = try await gateway.request(
                    .POST, "/echo", headers: [("transfer-encoding", "chunked")], body: [TestBytes.buffer(offset: 0, count: 900)]
                )
                #expect(small.status == .ok)
                let parts = (0..<4).map { TestBytes.buffer(offset: $0 * 400, count: 400) }
                let large = try await gateway.request(.POST, "/echo", headers: [("transfer-encoding", "chunked")], body: parts)
                #expect(large.status == .payloadTooLarge)
                #expect(large.bodyText == #"{"message":"too much"}"#)
                #expect(large.headers.first(name: "connection") == "close")
            }
        }
    }

    @Test func responseBodyIsCollectedAndRewrittenWithItsNewLength() async throws {
        try await withTestUpstream { upstream in
            let configuration = try Self.configuration(port: upstream.port, routes: #"{"paths": ["/"], "plugins": {"shout": true}}"#)
            try await withGateway(configuration, plugins: testPlugins) { gateway in
                let response = try await gateway.request(.GET, "/echo")
                #expect(response.bodyText.contains("\"METHOD\":\"GET\""))
                #expect(response.headers.first(name: "content-length") == String(response.body.readableBytes))
                #expect(response.headers.first(name: "x-seen-path") == "/echo")
                let chunked = try await gateway.request(.GET, "/chunked")
                #expect(chunked.bodyText == "ALPHABETAGAMMA")
                #expect(chunked.headers.first(name: "content-length") == String(chunked.body.readableBytes))
                #expect(!chunked.headers.contains(name: "transfer-encoding"))
            }
        }
    }

    @Test func gatewayErrorsGoThroughTheResponsePhases() async throws {
        let configuration = try ConfigLoader.load(
            pluginsFile: #"{"plugins": [{"name": "tag", "config": {"tag": "t"}}]}"#,
            routeFiles: [("routes/dead.json", #"{"service": {"name": "dead", "url": "http://127.0.0.1:1", "retries": 0}, "routes": [{"paths": ["/"]}]}"#)],
            environment: [:],
            plugins: testPlugins
        )
        try await withGateway(configuration, plugins: testPlugins) { gateway in
            let response = try await gateway.request(.GET, "/x")
            #expect(response.status == .badGateway)
            #expect(response.headers.first(name: "x-seen-tag") == "t")
            #expect(response.bodyText == #"{"message":"An invalid response was received from the upstream server"}"#)
        }
    }
}
