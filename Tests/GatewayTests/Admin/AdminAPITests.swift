import Foundation
import GatewayPlugins
import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

@Suite struct AdminAPITests {
    private static let location = ConfigLocation(file: "routes/orders.json", path: "routes[0]")

    /// Two services: `orders` with a prefix route and a regex route, `users` with a host route.
    private static let configuration = GatewayConfiguration(services: [
        Service(
            name: "orders",
            upstream: Upstream(targets: [Target(host: "127.0.0.1", port: 8102)]),
            connectTimeout: 2000,
            readTimeout: 30000,
            writeTimeout: 30000,
            retries: 2,
            routes: [
                Route(
                    name: "orders",
                    serviceName: "orders",
                    paths: [.prefix("/api/orders")],
                    methods: ["GET", "POST"],
                    location: Self.location
                ),
                Route(
                    name: "order-items",
                    serviceName: "orders",
                    paths: [.regex("/api/orders/\\d+/items")],
                    headers: ["x-version": ["2", "3"]],
                    stripPath: false,
                    preserveHost: true,
                    regexPriority: 5,
                    location: Self.location
                ),
            ],
            location: Self.location
        ),
        Service(
            name: "users",
            upstream: Upstream(targets: [Target(host: "127.0.0.1", port: 8101)]),
            connectTimeout: 2000,
            readTimeout: 30000,
            writeTimeout: 30000,
            retries: 2,
            routes: [
                Route(
                    name: "users",
                    serviceName: "users",
                    hosts: ["users.example.com"],
                    location: ConfigLocation(file: "routes/users.json", path: "routes[0]")
                )
            ],
            location: ConfigLocation(file: "routes/users.json", path: "service")
        ),
    ])

    /// The routes in the router's priority order, as `/routes` lists them.
    static let routesBody = #"""
        {"data":[\#
        {"headers":{"x-version":["2","3"]},"hosts":[],"methods":[],"name":"order-items",\#
        "paths":["~/api/orders/\\d+/items"],"plugins":[],"preserve_host":true,"regex_priority":5,\#
        "service":{"name":"orders"},"source":"routes/orders.json","strip_path":false},\#
        {"headers":{},"hosts":[],"methods":["GET","POST"],"name":"orders","paths":["/api/orders"],\#
        "plugins":[],"preserve_host":false,"regex_priority":0,"service":{"name":"orders"},\#
        "source":"routes/orders.json","strip_path":true},\#
        {"headers":{},"hosts":["users.example.com"],"methods":[],"name":"users","paths":[],"plugins":[],\#
        "preserve_host":false,"regex_priority":0,"service":{"name":"users"},"source":"routes/users.json",\#
        "strip_path":true}\#
        ],"next":null}
        """#

    private static func api() throws -> AdminAPI {
        try AdminAPI.testing(Self.configuration)
    }

    @Test(arguments: ["/routes", "/routes/"])
    func routesListsEveryRouteInPriorityOrderWithKongsFieldNames(path: String) async throws {
        let answer = try await Self.api().answer(.GET, path)
        #expect(answer.status == .ok)
        #expect(String(decoding: answer.body, as: UTF8.self) == Self.routesBody)
    }

    @Test func routesOfAnEmptyConfigurationIsAnEmptyList() async throws {
        let answer = try await AdminAPI.testing(GatewayConfiguration()).answer(.GET, "/routes")
        #expect(String(decoding: answer.body, as: UTF8.self) == #"{"data":[],"next":null}"#)
    }

    @Test(arguments: ["/status", "/status/"])
    func statusDescribesTheServerAndTheConfiguration(path: String) async throws {
        let answer = try await Self.api().answer(.GET, path)
        #expect(answer.status == .ok)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
        #expect(
            object.keys.sorted() == ["configuration", "configuration_hash", "last_reload", "server", "uptime_seconds", "version"]
        )
        #expect(object["version"] as? String == GatewayVersion.string)
        #expect((object["uptime_seconds"] as? Int).map { $0 >= 0 } == true)
        // Built in code: no files, no hash; no reload yet.
        #expect(object["configuration_hash"] is NSNull)
        #expect(object["last_reload"] is NSNull)
        let server = try #require(object["server"] as? [String: Int])
        #expect(server == ["connections_accepted": 0, "connections_active": 0, "total_requests": 0])
        var configuration = try #require(object["configuration"] as? [String: Any])
        #expect((configuration.removeValue(forKey: "loaded_at") as? String)?.hasSuffix("Z") == true)
        #expect(configuration as? [String: Int] == ["generation": 0, "services": 2, "routes": 3, "plugins": 0, "consumers": 0])
    }

    @Test func statusShowsTheGenerationInForce() async throws {
        let api = try Self.api()
        try api.reloader.apply(GatewayConfiguration())
        let answer = await api.answer(.GET, "/status")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
        var configuration = try #require(object["configuration"] as? [String: Any])
        configuration["loaded_at"] = nil
        #expect(configuration as? [String: Int] == ["generation": 1, "services": 0, "routes": 0, "plugins": 0, "consumers": 0])
        let reload = try #require(object["last_reload"] as? [String: Any])
        #expect(reload["result"] as? String == "success")
        #expect(reload["trigger"] as? String == "api")
        #expect((reload["errors"] as? [Any])?.isEmpty == true)
    }

    @Test(arguments: [
        (HTTPMethod.POST, "/routes", "GET"), (.DELETE, "/routes", "GET"), (.PUT, "/status", "GET"), (.HEAD, "/status", "GET"),
        (.POST, "/status/", "GET"), (.GET, "/reload", "POST"), (.POST, "/consumers", "GET"),
    ])
    func otherMethodsAreNotAllowed(method: HTTPMethod, path: String, allowed: String) async throws {
        let answer = try await Self.api().answer(method, path)
        #expect(answer.status == .methodNotAllowed)
        #expect(answer.headers.first { $0.0 == "allow" }?.1 == allowed)
        #expect(String(decoding: answer.body, as: UTF8.self) == #"{"message":"Method not allowed"}"#)
    }

    @Test(arguments: ["/", "/service", "/route", "/routes/orders", "/statuses", "//status", "", "/status/ready/x"])
    func otherPathsAreNotFound(path: String) async throws {
        let answer = try await Self.api().answer(.GET, path)
        #expect(answer.status == .notFound)
        #expect(String(decoding: answer.body, as: UTF8.self) == #"{"message":"Not found"}"#)
    }

    @Test func answersThroughTheAdminListener() async throws {
        try await withGateway(Self.configuration) { gateway in
            let port = try #require(gateway.server.adminAddress.port)
            let client = try await HTTPTestClient.connect(port: port, group: gateway.clients)
            let routes = try await client.request(.GET, "/routes?size=100")
            #expect(routes.status == .ok)
            #expect(routes.headers["content-type"] == ["application/json; charset=utf-8"])
            #expect(routes.headers["content-length"] == ["\(Self.routesBody.utf8.count)"])
            #expect(routes.bodyText == Self.routesBody)
            // The same connection answers again.
            let missing = try await client.request(.GET, "/consumer")
            #expect(missing.status == .notFound)
            #expect(missing.bodyText == #"{"message":"Not found"}"#)
            let status = try await client.request(.GET, "/status")
            #expect(status.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(status.body.readableBytesView))
            let object = try #require(json as? [String: Any])
            #expect(object["version"] as? String == GatewayVersion.string)
            await client.close()
        }
    }

    @Test func metricsCountWhatThePrometheusPluginSaw() async throws {
        try await withTestUpstream { upstream in
            let configuration = try ConfigLoader.load(
                pluginsFile: #"{"plugins": [{"name": "prometheus", "config": {"status_code_metrics": true, "latency_metrics": true}}]}"#,
                routeFiles: [("routes/echo.json", #"{"service": {"name": "echo", "url": "http://127.0.0.1:\#(upstream.port)"}, "routes": [{"name": "all", "paths": ["/"]}]}"#)],
                environment: [:],
                plugins: BundledPlugins.registry
            )
            try await withGateway(configuration, plugins: BundledPlugins.registry) { gateway in
                for path in ["/a", "/b", "/status/503"] { _ = try await gateway.request(.GET, path) }
                let port = try #require(gateway.server.adminAddress.port)
                let client = try await HTTPTestClient.connect(port: port, group: gateway.clients)
                let metrics = try await client.request(.GET, "/metrics")
                await client.close()
                #expect(metrics.status == .ok)
                #expect(metrics.headers.first(name: "content-type") == "text/plain; version=0.0.4; charset=utf-8")
                let text = metrics.bodyText
                #expect(text.contains(#"acme_http_requests_total{service="echo",route="all",code="200",source="service",workspace="default",consumer=""} 2"#))
                #expect(text.contains(#"acme_http_requests_total{service="echo",route="all",code="503",source="service",workspace="default",consumer=""} 1"#))
                #expect(text.contains(#"acme_upstream_latency_ms_count{service="echo",route="all",workspace="default"} 3"#))
                #expect(text.contains(#"state="accepted"} "#))
            }
        }
    }
}
