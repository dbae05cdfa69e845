import Foundation
import GatewayTesting
import JWT
import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway
@testable import GatewayPlugins

/// The `jwt` plugin through a running gateway: on for a service, off on one route, tightened on another; and a
/// route verifying against a key set served on loopback.
@Suite struct ProxyJWTTests {
    private static let secret = "integration-secret"

    private static func configuration(upstream: Int, keySet: String) throws -> GatewayConfiguration {
        let plugins = """
            {"consumers": [{"username": "app", "groups": ["admin"],
                            "credentials": {"jwt": [{"key": "app-key", "secret": "\(secret)"}]}}]}
            """
        let routes = """
            {"service": {"name": "echo", "url": "http://127.0.0.1:\(upstream)", "plugins": {"jwt": true}},
             "routes": [
               {"name": "secure", "paths": ["/secure"]},
               {"name": "open", "paths": ["/open"], "plugins": {"jwt": false}},
               {"name": "strict", "paths": ["/strict"], "plugins": {"jwt": {"claims_to_verify": ["exp"]}}},
               {"name": "federated", "paths": ["/federated"], "plugins": {"jwt": {"jwks_url": "\(keySet)"}}}
             ]}
            """
        return try ConfigLoader.load(
            pluginsFile: plugins,
            routeFiles: [("routes/echo.json", routes)],
            environment: [:],
            plugins: BundledPlugins.registry
        )
    }

    @Test func routesTurnTheServicesJWTCheckOnOffAndTighter() async throws {
        let pair = try JWTKeyPair.ec("P-256")
        var jwk = pair.jwk
        jwk.kid = "idp-1"
        let keySet = try await TestDocumentServer.start(
            serving: String(decoding: try JSONEncoder().encode(JWKSet(keys: [jwk])), as: UTF8.self)
        )
        defer { Task { await keySet.stop() } }
        try await withTestUpstream { upstream in
            let configuration = try Self.configuration(upstream: upstream.port, keySet: keySet.url)
            try await withGateway(configuration, plugins: BundledPlugins.registry) { gateway in
                let token = try JWTSigner.sign(claims: ["iss": "app-key"], algorithm: .hs256, key: .hmac(secret: Self.secret))
                let bearer = [("Authorization", "Bearer \(token)")]

                let refused = try await gateway.request(.GET, "/secure/x")
                #expect(refused.status == .unauthorized)
                #expect(refused.bodyText == #"{"message":"Unauthorized"}"#)
                let secure = try await gateway.request(.GET, "/secure/x", headers: bearer)
                #expect(try secure.echo().value("x-consumer-username") == "app")
                #expect(try secure.echo().value("x-credential-identifier") == "app-key")

                // Off on the route: no check, and caller identity headers a client sends never pass.
                let open = try await gateway.request(.GET, "/open/x", headers: [("X-Consumer-Username", "forged")])
                #expect(open.status == .ok)
                #expect(try open.echo().value("x-consumer-username") == nil)

                // The route's object is laid over the service's: `exp` is now required.
                let strict = try await gateway.request(.GET, "/strict/x", headers: bearer)
                #expect(strict.status == .unauthorized)
                #expect(strict.bodyText == #"{"exp":"must be a number"}"#)

                let federatedToken = try JWTSigner.sign(
                    claims: ["sub": "u-9", "groups": ["ops"]], algorithm: .es256, key: pair.signingKey(), kid: "idp-1"
                )
                let federated = try await gateway.request(.GET, "/federated/x", headers: [("Authorization", "Bearer \(federatedToken)")])
                #expect(federated.status == .ok)
                #expect(try federated.echo().value("x-authenticated-userid") == "u-9")
                #expect(try federated.echo().value("x-consumer-groups") == "ops")
                #expect(keySet.requests == 1)
            }
        }
    }
}
