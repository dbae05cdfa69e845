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
