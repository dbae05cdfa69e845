import Foundation
import GatewayPlugins
import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// The bundled authentication plugins through a running gateway: key-auth and acl on one route, off on another;
/// ip-restriction and correlation-id on for a service, off or changed by a route.
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

    @Test func ipRestrictionAndCorrelationIDFollowTheirServiceUnlessARouteSaysOtherwise() async throws {
        try await withTestUpstream { upstream in
            let plugins = #"{"plugins": [{"name": "correlation-id", "config": {"header_name": "X-Request-ID", "echo_downstream": true}}]}"#
            let routes = """
                {"service": {"name": "echo", "url": "http://127.0.0.1:\(upstream.port)",
                             "plugins": {"ip-restriction": {"deny": ["127.0.0.0/8"]}}},
                 "routes": [
                   {"name": "guarded", "paths": ["/guarded"]},
                   {"name": "open", "paths": ["/open"], "plugins": {"ip-restriction": false, "correlation-id": false}},
                   {"name": "allowed", "paths": ["/allowed"],
                    "plugins": {"ip-restriction": {"allow": ["127.0.0.1"], "deny": []}, "correlation-id": {"echo_downstream": false}}}
                 ]}
                """
            let configuration = try ConfigLoader.load(
                pluginsFile: plugins,
                routeFiles: [("routes/echo.json", routes)],
                environment: [:],
                plugins: BundledPlugins.registry
            )
            try await withGateway(configuration, plugins: BundledPlugins.registry) { gateway in
                let guarded = try await gateway.request(.GET, "/guarded/x")
                #expect(guarded.status == .forbidden)
                #expect(guarded.bodyText == #"{"message":"IP address not allowed: 127.0.0.1"}"#)
                // The correlation id reaches answers the gateway makes too.
                #expect(guarded.headers.first(name: "x-request-id") != nil)

                let open = try await gateway.request(.GET, "/open/x")
                #expect(open.status == .ok)
                #expect(try open.echo().value("x-request-id") == nil)
                #expect(open.headers.first(name: "x-request-id") == nil)

                let allowed = try await gateway.request(.GET, "/allowed/x")
                #expect(allowed.status == .ok)
                let id = try #require(try allowed.echo().value("x-request-id"))
                #expect(id.hasSuffix("#1") || id.contains("#"))
                #expect(allowed.headers.first(name: "x-request-id") == nil)
            }
        }
    }
}
