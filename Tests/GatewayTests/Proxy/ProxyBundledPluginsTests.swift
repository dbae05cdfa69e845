import Foundation
import GatewayPlugins
import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// The bundled authentication plugins through a running gateway: key-auth and acl on one route, off on another.
@Suite struct ProxyBundledPluginsTests {
    private static func configuration(port: Int) throws -> GatewayConfiguration {
        let plugins = """
            {"consumers": [
               {"username": "app", "groups": ["customers"], "credentials": {"key-auth": [{"key": "k-1", "id": "cred-1"}]}},
               {"username": "ops", "groups": ["staff"], "credentials": {"key-auth": [{"key": "k-2"}]}}
             ],
             "plugins": [{"name": "key-auth", "enabled": false, "config": {"hide_credentials": true}},
                         {"name": "acl", "enabled": false, "config": {"allow": ["customers"]}}]}
            """
        let routes = """
            {"service": {"name": "echo", "url": "http://127.0.0.1:\(port)"},
             "routes": [
               {"name": "private", "paths": ["/private"], "plugins": {"key-auth": true, "acl": true}},
               {"name": "public", "paths": ["/public"]}
             ]}
            """
        return try ConfigLoader.load(
            pluginsFile: plugins,
            routeFiles: [("routes/echo.json", routes)],
            environment: [:],
            plugins: BundledPlugins.registry
        )
    }

    @Test func keyAuthAndACLGuardTheirRouteOnly() async throws {
        try await withTestUpstream { upstream in
            let configuration = try Self.configuration(port: upstream.port)
            try await withGateway(configuration, plugins: BundledPlugins.registry) { gateway in
                let missing = try await gateway.request(.GET, "/private/x")
                #expect(missing.status == .unauthorized)
                #expect(missing.bodyText == #"{"message":"No API key found in request"}"#)

                let staff = try await gateway.request(.GET, "/private/x", headers: [("apikey", "k-2")])
                #expect(staff.status == .forbidden)

                let app = try await gateway.request(.GET, "/private/x?apikey=k-1&q=1")
                #expect(app.status == .ok)
                let echo = try JSONDecoderHelper.echo(Array(buffer: app.body))
                #expect(echo.value("x-consumer-username") == "app")
                #expect(echo.value("x-credential-identifier") == "cred-1")
                #expect(echo.value("x-consumer-groups") == "customers")
                #expect(echo.uri == "/x?q=1")

                let spoofed = try await gateway.request(.GET, "/public/x", headers: [("X-Consumer-Username", "app")])
                #expect(spoofed.status == .ok)
                #expect(try JSONDecoderHelper.echo(Array(buffer: spoofed.body)).value("x-consumer-username") == nil)
            }
        }
    }
}
