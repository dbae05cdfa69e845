import Foundation
import GatewayPlugins
import GatewayTesting
import NIOHTTP1
import Testing

@testable import Gateway

/// `POST /reload` and `GatewayServer.reload(trigger:)` against a configuration directory that the tests rewrite.
@Suite struct ConfigReloadTests {
    private static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    @Test func postReloadPutsTheEditedDirectoryInForceForTheNextRequestOnAnOpenConnection() async throws {
        try await withTwoUpstreams { a, b in
            let directory = try ReloadFiles.directory(to: a)
            defer { directory.remove() }
            try await withReloadingGateway(directory) { gateway in
                let client = try await gateway.httpClient()
                #expect(try await client.request(.GET, "/x").bodyText == #"{"upstream":"a"}"#)
                let before = try Self.json(try await gateway.admin(.GET, "/status"))
                let hashBefore = try #require(before["configuration_hash"] as? String)
                #expect(hashBefore.count == 16)

                try directory.write(["routes/echo.json": ReloadFiles.echo(port: b.port)])
                let reload = try await gateway.admin(.POST, "/reload")
                #expect(reload.status == .ok)
                let answer = try Self.json(reload)
                #expect(answer["message"] as? String == "configuration reloaded")
                #expect(answer["generation"] as? Int == 1)
                let hashAfter = try #require(answer["configuration_hash"] as? String)
                #expect(hashAfter != hashBefore)

                // The same keep-alive connection: its next request runs on the new configuration.
                #expect(try await client.request(.GET, "/x").bodyText == #"{"upstream":"b"}"#)
                await client.close()

                let status = try Self.json(try await gateway.admin(.GET, "/status"))
                #expect(status["configuration_hash"] as? String == hashAfter)
                let last = try #require(status["last_reload"] as? [String: Any])
                #expect(last["result"] as? String == "success")
                #expect(last["trigger"] as? String == "admin")
                #expect((status["configuration"] as? [String: Any])?["generation"] as? Int == 1)
            }
        }
    }

    @Test func anInvalidConfigurationIsRefusedWithEveryErrorAndTheOldOneKeepsServing() async throws {
        try await withTwoUpstreams { a, b in
            let directory = try ReloadFiles.directory(to: a)
            defer { directory.remove() }
            try await withReloadingGateway(directory) { gateway in
                try directory.write([
                    "plugins.json": #"{"plugins": [], "extra": 1}"#,
                    "routes/echo.json":
                        #"{"service": {"name": "echo", "url": "http://127.0.0.1:\#(b.port)", "retries": -1}, "routes": [{"name": "echo", "paths": ["/"], "strip_path": "yes"}]}"#,
                ])
                let reload = try await gateway.admin(.POST, "/reload")
                #expect(reload.status == .badRequest)
                let answer = try Self.json(reload)
                #expect(answer["message"] as? String == "invalid configuration: the one in force keeps serving")
                #expect(answer["generation"] as? Int == 0)
                let errors = try #require(answer["errors"] as? [[String: String]])
                #expect(
                    errors == [
                        [
                            "file": "plugins.json", "path": "extra",
                            "message": "unknown field; allowed fields are consumers, plugins",
                        ],
                        [
                            "file": "routes/echo.json", "path": "routes[0].strip_path",
                            "message": #"expected true or false, got "yes""#,
                        ],
                        [
                            "file": "routes/echo.json", "path": "service.retries",
                            "message": "expected an integer from 0 to 32767, got -1",
                        ],
                    ]
                )
                #expect(try await gateway.request(.GET, "/x").bodyText == #"{"upstream":"a"}"#)
                let status = try Self.json(try await gateway.admin(.GET, "/status"))
                let last = try #require(status["last_reload"] as? [String: Any])
                #expect(last["result"] as? String == "failure")
                #expect((last["errors"] as? [Any])?.count == 3)
                #expect((status["configuration"] as? [String: Any])?["generation"] as? Int == 0)
            }
        }
    }

    @Test func aPluginConfigurationThatDoesNotValidateIsRefused() async throws {
        try await withTwoUpstreams { a, _ in
            let directory = try ReloadFiles.directory(to: a)
            defer { directory.remove() }
            try await withReloadingGateway(directory, plugins: BundledPlugins.registry) { gateway in
                // policy redis without a Redis to use.
                try directory.write([
                    "plugins.json":
                        #"{"plugins": [{"name": "rate-limiting", "enabled": false, "config": {"policy": "redis"}}]}"#,
                    "routes/echo.json": ReloadFiles.echo(
                        port: a.port, routes: #"[{"name": "echo", "paths": ["/"], "plugins": {"rate-limiting": true}}]"#
                    ),
                ])
                let record = await gateway.server.reload(trigger: .signal)
                #expect(record.result == .failure)
                #expect(!record.errors.isEmpty)
                #expect(record.errors.allSatisfy { $0.file == "plugins.json" })
                #expect(gateway.server.runtimes.current.generation == 0)
                #expect(try await gateway.request(.GET, "/x").status == .ok)
            }
        }
    }

    @Test func reloadsAreCountedInTheMetrics() async throws {
        try await withTwoUpstreams { a, _ in
            let directory = try ReloadFiles.directory(to: a)
            defer { directory.remove() }
            try await withReloadingGateway(directory) { gateway in
                let first = try await gateway.admin(.GET, "/metrics").bodyText
                #expect(
                    first.contains(
                        "acme_config_reloads_total{result=\"failure\"} 0\nacme_config_reloads_total{result=\"success\"} 0\n"
                    ))
                #expect(first.contains("\nacme_config_last_reload_successful 1\n"))
                #expect(await gateway.server.reload(trigger: .admin).result == .success)
                try directory.write(["plugins.json": "{"])
                #expect(await gateway.server.reload(trigger: .admin).result == .failure)
                let text = try await gateway.admin(.GET, "/metrics").bodyText
                #expect(text.contains("# TYPE acme_config_reloads_total counter\n"))
                #expect(
                    text.contains(
                        "acme_config_reloads_total{result=\"failure\"} 1\nacme_config_reloads_total{result=\"success\"} 1\n"
                    ))
                #expect(text.contains("# TYPE acme_config_last_reload_success_timestamp_seconds gauge\n"))
                let loadedAt = gateway.server.reloader.statistics.loadedAt.timeIntervalSince1970
                #expect(
                    text.contains(
                        "\nacme_config_last_reload_success_timestamp_seconds \(String(format: "%.3f", loadedAt))\n"))
                #expect(text.contains("\nacme_config_last_reload_successful 0\n"))
            }
        }
    }

    @Test func reloadsRunOneAtATime() async throws {
        try await withTwoUpstreams { a, _ in
            let directory = try ReloadFiles.directory(to: a)
            defer { directory.remove() }
            try await withReloadingGateway(directory) { gateway in
                // Each reload makes the generation after the one in force: interleaved, two would make the same one.
                let generations = await withTaskGroup(of: Int.self) { group in
                    for index in 0..<8 {
                        group.addTask {
                            if index.isMultiple(of: 2) {
                                return await gateway.server.reload(trigger: .signal).generation
                            }
                            let answer = try? await gateway.admin(.POST, "/reload")
                            let object = answer.flatMap {
                                try? JSONSerialization.jsonObject(with: Data($0.body.readableBytesView))
                            }
                            return (object as? [String: Any])?["generation"] as? Int ?? -1
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                #expect(generations.sorted() == Array(1...8))
                #expect(gateway.server.runtimes.current.generation == 8)
            }
        }
    }

    @Test func rateLimitCountersOfUnchangedRoutesSurviveAReload() async throws {
        try await withTwoUpstreams { a, b in
            let limited =
                #"{"name": "limited", "paths": ["/limited"], "plugins": {"rate-limiting": {"hour": 3, "limit_by": "ip"}}}"#
            let directory = try TestConfigDirectory([
                "plugins.json": ReloadFiles.noPlugins,
                "routes/echo.json": ReloadFiles.echo(
                    port: a.port, routes: #"[\#(limited), {"name": "other", "paths": ["/other"]}]"#),
            ])
            defer { directory.remove() }
            try await withReloadingGateway(directory, plugins: BundledPlugins.registry) { gateway in
                #expect(try await gateway.request(.GET, "/limited").headers["X-RateLimit-Remaining-Hour"] == ["2"])
                #expect(try await gateway.request(.GET, "/limited").headers["X-RateLimit-Remaining-Hour"] == ["1"])
                // Another route changes, and a service is added; the limited route stays as it was.
                try directory.write([
                    "routes/echo.json": ReloadFiles.echo(
                        port: a.port, routes: #"[\#(limited), {"name": "other", "paths": ["/elsewhere"]}]"#),
                    "routes/more.json":
                        #"{"service": {"name": "more", "url": "http://127.0.0.1:\#(b.port)"}, "routes": [{"name": "more", "paths": ["/more"]}]}"#,
                ])
                #expect(try await gateway.admin(.POST, "/reload").status == .ok)
                #expect(try await gateway.request(.GET, "/more").bodyText == #"{"upstream":"b"}"#)
                let last = try await gateway.request(.GET, "/limited")
                #expect(last.status == .ok)
                #expect(last.headers["X-RateLimit-Remaining-Hour"] == ["0"])
                #expect(try await gateway.request(.GET, "/limited").status == .tooManyRequests)
            }
        }
    }

    @Test func aGatewayGivenItsConfigurationInCodeHasNothingToReload() async throws {
        try await withGateway(GatewayConfiguration()) { gateway in
            let reload = try await gateway.admin(.POST, "/reload")
            #expect(reload.status == .conflict)
            #expect(reload.bodyText == #"{"message":"no configuration directory to reload"}"#)
        }
    }
}
