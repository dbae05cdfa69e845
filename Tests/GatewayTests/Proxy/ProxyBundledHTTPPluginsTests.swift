import Foundation
import GatewayPlugins
import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// cors, request-size-limiting and the transformers through a running gateway. request-size-limiting is switched on
/// by the service (2 KB) and overridden by one route (100 bytes); each plugin runs on some routes and not on
/// `/plain`, where every one of them is off.
@Suite struct ProxyBundledHTTPPluginsTests {
    private static func configuration(port: Int) throws -> GatewayConfiguration {
        let plugins = #"""
            {"plugins": [
               {"name": "cors", "enabled": false,
                "config": {"origins": ["https://app.example.com", "https://(.*)\\.example\\.org"], "credentials": true,
                           "exposed_headers": ["X-Upstream"], "max_age": 600}},
               {"name": "request-size-limiting", "enabled": false, "config": {"allowed_payload_size": 1, "size_unit": "kilobytes"}},
               {"name": "request-transformer", "enabled": false,
                "config": {"remove": {"headers": ["x-secret"]}, "rename": {"querystring": ["q:query"]},
                           "add": {"headers": ["x-added:yes"], "querystring": ["version:2"]}}},
               {"name": "response-transformer", "enabled": false,
                "config": {"remove": {"headers": ["x-upstream"], "json": ["bodyHash"]}, "rename": {"json": ["bodyBytes:size"]},
                           "add": {"headers": ["x-transformed:yes"], "json": ["gateway:acme"]}}}
             ]}
            """#
        let routes = """
            {"service": {"name": "echo", "url": "http://127.0.0.1:\(port)",
                         "plugins": {"request-size-limiting": {"allowed_payload_size": 2}}},
             "routes": [
               {"name": "cors", "paths": ["/cors"], "plugins": {"cors": true}},
               {"name": "small", "paths": ["/small"], "plugins": {"request-size-limiting": {"allowed_payload_size": 100, "size_unit": "bytes"}}},
               {"name": "transform", "paths": ["/transform"], "plugins": {"request-transformer": true, "response-transformer": true}},
               {"name": "plain", "paths": ["/plain"], "plugins": {"request-size-limiting": false}}
             ]}
            """
        return try ConfigLoader.load(
            pluginsFile: plugins,
            routeFiles: [("routes/echo.json", routes)],
            environment: [:],
            plugins: BundledPlugins.registry
        )
    }

    private static func withEchoGateway(_ body: (TestUpstream, GatewayFixture) async throws -> Void) async throws {
        try await withTestUpstream { upstream in
            let configuration = try Self.configuration(port: upstream.port)
            try await withGateway(configuration, plugins: BundledPlugins.registry) { gateway in
                try await body(upstream, gateway)
            }
        }
    }

    private static func bytes(_ count: Int) -> ByteBuffer {
        TestBytes.buffer(offset: 0, count: count)
    }

    /// A response body that is a JSON object, as a dictionary.
    private static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    @Test func corsAnswersPreflightsAndMarksResponsesOnItsRouteOnly() async throws {
        try await Self.withEchoGateway { upstream, gateway in
            let before = upstream.requestsSeen
            let preflight = try await gateway.request(
                .OPTIONS, "/cors/orders",
                headers: [("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "POST"),
                          ("Access-Control-Request-Headers", "X-Token")]
            )
            #expect(preflight.status == .ok)
            #expect(preflight.body.readableBytes == 0)
            #expect(preflight.headers.first(name: "Access-Control-Allow-Origin") == "https://app.example.com")
            #expect(preflight.headers.first(name: "Access-Control-Allow-Credentials") == "true")
            let methods = "GET,HEAD,PUT,PATCH,POST,DELETE,OPTIONS,TRACE,CONNECT"
            #expect(preflight.headers.first(name: "Access-Control-Allow-Methods") == methods)
            #expect(preflight.headers.first(name: "Access-Control-Allow-Headers") == "X-Token")
            #expect(preflight.headers.first(name: "Access-Control-Max-Age") == "600")
            #expect(preflight.headers.first(name: "Vary") == "Origin")
            #expect(upstream.requestsSeen == before)

            let get = try await gateway.request(.GET, "/cors/orders", headers: [("Origin", "https://shop.example.org")])
            #expect(get.status == .ok)
            #expect(try get.echo().uri == "/orders")
            #expect(get.headers.first(name: "Access-Control-Allow-Origin") == "https://shop.example.org")
            #expect(get.headers.first(name: "Access-Control-Allow-Credentials") == "true")
            #expect(get.headers.first(name: "Access-Control-Expose-Headers") == "X-Upstream")

            // A reply another plugin made (request-size-limiting, on through the service) gets the headers too.
            let tooLarge = try await gateway.request(
                .POST, "/cors/orders", headers: [("Origin", "https://app.example.com"), ("Content-Length", "3000")],
                body: [Self.bytes(3000)]
            )
            #expect(tooLarge.status == .payloadTooLarge)
            #expect(tooLarge.headers.first(name: "Access-Control-Allow-Origin") == "https://app.example.com")

            let origin = ("Origin", "https://app.example.com")
            let plain = try await gateway.request(.GET, "/plain/orders", headers: [origin])
            #expect(plain.status == .ok)
            #expect(!plain.headers.contains(name: "Access-Control-Allow-Origin"))
            let plainPreflight = try await gateway.request(
                .OPTIONS, "/plain/orders", headers: [origin, ("Access-Control-Request-Method", "POST")]
            )
            #expect(try plainPreflight.echo().method == "OPTIONS")
            #expect(!plainPreflight.headers.contains(name: "Access-Control-Allow-Methods"))
        }
    }

    @Test func requestSizeLimitComesFromTheServiceUnlessTheRouteSaysOtherwise() async throws {
        try await Self.withEchoGateway { _, gateway in
            func post(_ path: String, _ count: Int) async throws -> TestResponse {
                let length = ("Content-Length", String(count))
                return try await gateway.request(.POST, path, headers: [length], body: [Self.bytes(count)])
            }
            // The service's 2 KB.
            #expect(try await post("/cors/upload", 2048).status == .ok)
            let refused = try await post("/cors/upload", 2049)
            #expect(refused.status == .payloadTooLarge)
            #expect(refused.bodyText == #"{"message":"Request size limit exceeded"}"#)
            // The route's 100 bytes.
            #expect(try await post("/small/upload", 100).status == .ok)
            #expect(try await post("/small/upload", 101).status == .payloadTooLarge)
            // Off.
            #expect(try await post("/plain/upload", 3000).status == .ok)
        }
    }

    @Test func aChunkedBodyOverTheLimitIs413AsItStreams() async throws {
        try await Self.withEchoGateway { _, gateway in
            let chunked = [("Transfer-Encoding", "chunked")]
            let halves = [TestBytes.buffer(offset: 0, count: 40), TestBytes.buffer(offset: 40, count: 40)]
            let within = try await gateway.request(.POST, "/small/upload", headers: chunked, body: halves)
            #expect(within.status == .ok)
            #expect(try within.echo().bodyBytes == 80)
            let parts = (0..<4).map { TestBytes.buffer(offset: $0 * 40, count: 40) }
            let over = try await gateway.request(.POST, "/small/upload", headers: chunked, body: parts)
            #expect(over.status == .payloadTooLarge)
            #expect(over.bodyText == #"{"message":"Request size limit exceeded"}"#)
            #expect(over.headers.first(name: "connection") == "close")
        }
    }

    @Test func requestTransformerEditsWhatGoesUpstreamOnItsRouteOnly() async throws {
        try await Self.withEchoGateway { _, gateway in
            let headers = [("X-Secret", "s3cret"), ("X-Kept", "1")]
            // The route runs response-transformer too, so its echo is read as plain JSON.
            let transformed = try await gateway.request(.GET, "/transform/search?q=shoes&page=2", headers: headers)
            let echo = try Self.object(transformed)
            #expect(echo["uri"] as? String == "/search?query=shoes&page=2&version=2")
            let sent = (echo["headers"] as? [[String]] ?? []).map { $0.joined(separator: ": ") }
            #expect(!sent.contains { $0.lowercased().hasPrefix("x-secret") })
            #expect(sent.contains("x-added: yes"))
            #expect(sent.contains("X-Kept: 1"))

            let plain = try await gateway.request(.GET, "/plain/search?q=shoes", headers: headers).echo()
            #expect(plain.uri == "/search?q=shoes")
            #expect(plain.value("x-secret") == "s3cret")
            #expect(plain.value("x-added") == nil)
        }
    }

    @Test func responseTransformerEditsJSONBodiesWithTheirNewLength() async throws {
        try await Self.withEchoGateway { _, gateway in
            let response = try await gateway.request(.GET, "/transform/items")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "content-length") == String(response.body.readableBytes))
            #expect(response.headers.first(name: "x-transformed") == "yes")
            #expect(!response.headers.contains(name: "x-upstream"))
            let object = try Self.object(response)
            #expect(Set(object.keys) == ["method", "uri", "headers", "size", "gateway"])
            #expect(object["gateway"] as? String == "acme")
            #expect(object["size"] as? Int == 0)
            #expect(response.bodyText.hasSuffix(#","gateway":"acme"}"#))

            let plain = try await gateway.request(.GET, "/plain/items")
            #expect(plain.headers.first(name: "x-upstream") == "test")
            #expect(plain.headers.first(name: "x-transformed") == nil)
            #expect(try plain.echo().bodyHash.isEmpty == false)
        }
    }
}
