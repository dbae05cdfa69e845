import Foundation
import GatewayTesting
import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// `--status-listen`, readiness, and the bearer token that listeners off loopback require.
@Suite struct StatusListenerTests {
    @Test(arguments: [
        ("127.0.0.1", true), ("127.1.2.3", true), ("localhost", true), ("LOCALHOST", true), ("::1", true),
        ("::ffff:127.0.0.1", true), ("0.0.0.0", false), ("::", false), ("10.0.0.1", false), ("gateway.internal", false),
        ("128.0.0.1", false), ("::2", false),
    ])
    func loopbackAddresses(host: String, loopback: Bool) {
        #expect(ListenAddress(host: host, port: 8001).isLoopback == loopback)
    }

    private static func statusPort(_ gateway: GatewayFixture) throws -> Int {
        try #require(gateway.server.statusAddress?.port)
    }

    @Test func theStatusListenerAnswersStatusAndReadinessOnly() async throws {
        try await withTwoUpstreams { a, _ in
            let directory = try ReloadFiles.directory(to: a)
            defer { directory.remove() }
            try await withReloadingGateway(
                directory, adjust: { $0.statusListen = ListenAddress(host: "127.0.0.1", port: 0) }
            ) { gateway in
                let client = try await HTTPTestClient.connect(
                    port: try Self.statusPort(gateway), group: gateway.clients)
                let ready = try await client.request(.GET, "/status/ready")
                #expect(ready.status == .ok)
                #expect(ready.bodyText == #"{"message":"ready"}"#)
                let status = try await client.request(.GET, "/status")
                #expect(status.status == .ok)
                #expect(status.bodyText.contains(#""configuration_hash":""#))
                #expect(try await client.request(.GET, "/routes").status == .notFound)
                #expect(try await client.request(.POST, "/reload").status == .notFound)
                await client.close()
            }
        }
    }

    @Test func withoutAStatusListenOptionThereIsNoStatusListener() async throws {
        try await withGateway(GatewayConfiguration()) { gateway in
            #expect(gateway.server.statusAddress == nil)
        }
    }

    @Test(arguments: [("admin", "0.0.0.0"), ("status", "0.0.0.0"), ("status", "::")])
    func aListenerOffLoopbackWithoutATokenRefusesToStart(listener: String, host: String) async throws {
        var options = GatewayOptions(
            proxyListen: ListenAddress(host: "127.0.0.1", port: 0),
            adminListen: ListenAddress(host: "127.0.0.1", port: 0),
            threads: 1
        )
        if listener == "admin" {
            options.adminListen = ListenAddress(host: host, port: 0)
        } else {
            options.statusListen = ListenAddress(host: host, port: 0)
        }
        #expect(throws: ListenerSecurityError.self) { try options.checkListenerSecurity() }
        options.adminToken = ""
        #expect(throws: ListenerSecurityError.self) { try options.checkListenerSecurity() }
        do {
            let server = try await GatewayServer.start(
                configuration: GatewayConfiguration(), options: options, logger: .init(label: "t"))
            await server.shutdown()
            Issue.record("the gateway started")
        } catch let error as ListenerSecurityError {
            #expect(error.listener == listener)
            #expect(
                error.description.hasPrefix(
                    "the \(listener) listener \(ListenAddress(host: host, port: 0)) is not a loopback address: set ADMIN_TOKEN"
                ))
        }
    }

    @Test func offLoopbackEveryRequestNeedsTheBearerToken() async throws {
        try await withTwoUpstreams { a, _ in
            let directory = try ReloadFiles.directory(to: a)
            defer { directory.remove() }
            let adjust: (inout GatewayOptions) -> Void = {
                $0.statusListen = ListenAddress(host: "0.0.0.0", port: 0)
                $0.adminToken = "t0ken-for-tests"
            }
            try await withReloadingGateway(directory, adjust: adjust) { gateway in
                let client = try await HTTPTestClient.connect(
                    port: try Self.statusPort(gateway), group: gateway.clients)
                for headers in [
                    [], [("Authorization", "Bearer wrong")], [("Authorization", "Basic t0ken-for-tests")],
                    [("Authorization", "Bearer t0ken-for-test")],
                ] {
                    let refused = try await client.request(.GET, "/status/ready", headers: headers)
                    #expect(refused.status == .unauthorized)
                    #expect(refused.bodyText == #"{"message":"Unauthorized"}"#)
                    #expect(refused.headers["WWW-Authenticate"] == [#"Bearer realm="acme-gateway""#])
                }
                for value in ["Bearer t0ken-for-tests", "bearer  t0ken-for-tests"] {
                    #expect(
                        try await client.request(.GET, "/status/ready", headers: [("Authorization", value)]).status
                            == .ok)
                }
                await client.close()
                // The admin listener on loopback asks for nothing.
                #expect(try await gateway.admin(.GET, "/status").status == .ok)
            }
        }
    }

    @Test func readinessIsLostWhileTheGatewayDrains() async throws {
        try await withTestUpstream { upstream in
            let directory = try TestConfigDirectory([
                "plugins.json": ReloadFiles.noPlugins, "routes/echo.json": ReloadFiles.echo(port: upstream.port),
            ])
            defer { directory.remove() }
            let adjust: (inout GatewayOptions) -> Void = {
                $0.statusListen = ListenAddress(host: "127.0.0.1", port: 0)
                $0.drainTimeout = .seconds(60)
            }
            try await withReloadingGateway(directory, adjust: adjust) { gateway in
                let status = try await HTTPTestClient.connect(
                    port: try Self.statusPort(gateway), group: gateway.clients)
                #expect(try await status.request(.GET, "/status/ready").status == .ok)
                // A request in flight keeps the gateway draining until the upstream answers, 5 s later.
                let proxy = try await gateway.httpClient()
                async let slow = proxy.request(.GET, "/slow/5000", timeout: .seconds(60))
                while upstream.requestsSeen == 0 { try await Task.sleep(for: .milliseconds(10)) }
                let stopping = Task { await gateway.server.shutdown() }
                var ready = try await status.request(.GET, "/status/ready")
                for _ in 0..<500 where ready.status == .ok {
                    try await Task.sleep(for: .milliseconds(10))
                    ready = try await status.request(.GET, "/status/ready")
                }
                #expect(ready.status == .serviceUnavailable)
                #expect(ready.bodyText == #"{"message":"draining"}"#)
                #expect(try await slow.status == .ok)
                await stopping.value
                await status.close()
                await proxy.close()
            }
        }
    }
}
