import Foundation
import GatewayPlugins
import Testing

@testable import Gateway

/// `GET /services`, `/routes` (with plugin chains), `/plugins` and `/consumers` of a configuration loaded from files,
/// secrets redacted.
@Suite struct AdminResourcesTests {
    static let pluginsFile = #"""
        {
          "consumers": [
            { "username": "mobile-app", "custom_id": "m-1", "groups": ["customers"],
              "credentials": {
                "jwt": [{ "key": "mobile-issuer-key", "algorithm": "HS256", "secret": "jwt-secret-value-123" }],
                "key-auth": [{ "key": "api-key-value-456" }] } },
            { "username": "batch" }
          ],
          "plugins": [
            { "name": "correlation-id", "config": { "header_name": "X-Request-ID" } },
            { "name": "rate-limiting", "enabled": false,
              "config": { "minute": 600, "policy": "redis", "redis": { "host": "127.0.0.1", "port": 1, "password": "redis-pass-789" } } }
          ]
        }
        """#

    static let ordersFile = #"""
        {
          "service": { "name": "orders", "url": "http://127.0.0.1:8102/v1", "connect_timeout": 2000, "read_timeout": 30000,
                       "write_timeout": 30000, "retries": 2 },
          "routes": [
            { "name": "orders", "paths": ["/api/orders"], "plugins": { "rate-limiting": { "minute": 60 } } },
            { "name": "orders-plain", "paths": ["/api/plain"], "plugins": { "correlation-id": false } }
          ]
        }
        """#

    static let usersFile = #"""
        {
          "service": { "name": "users",
                       "upstream": { "targets": [{ "target": "10.0.0.1:8101", "weight": 50 }, { "target": "10.0.0.2:8101" }],
                                     "algorithm": "least-connections" } },
          "routes": [{ "name": "users", "paths": ["/api/users"] }]
        }
        """#

    static func api() throws -> AdminAPI {
        let configuration = try ConfigLoader.load(
            pluginsFile: Self.pluginsFile,
            routeFiles: [("routes/orders.json", Self.ordersFile), ("routes/users.json", Self.usersFile)],
            environment: [:],
            plugins: BundledPlugins.registry
        )
        return try AdminAPI.testing(configuration, plugins: BundledPlugins.registry)
    }

    static let secrets = ["mobile-issuer-key", "jwt-secret-value-123", "api-key-value-456", "redis-pass-789"]

    @Test func servicesShowKongsFieldsAndTheUpstream() async throws {
        let body = try await Self.api().text(.GET, "/services")
        let expected = #"""
            {"data":[\#
            {"connect_timeout":2000,"host":"127.0.0.1","name":"orders","path":"/v1","port":8102,"protocol":"http",\#
            "read_timeout":30000,"retries":2,"source":"routes/orders.json",\#
            "upstream":{"algorithm":"round-robin","targets":[{"target":"127.0.0.1:8102","weight":100}]},"write_timeout":30000},\#
            {"connect_timeout":60000,"host":"users","name":"users","path":null,"port":80,"protocol":"http",\#
            "read_timeout":60000,"retries":5,"source":"routes/users.json",\#
            "upstream":{"algorithm":"least-connections","targets":[{"target":"10.0.0.1:8101","weight":50},\#
            {"target":"10.0.0.2:8101","weight":100}]},"write_timeout":60000}\#
            ],"next":null}
            """#
        #expect(body == expected)
    }

    @Test func routesShowEachChainInRunOrderWithItsEffectiveConfigRedacted() async throws {
        let body = try await Self.api().text(.GET, "/routes")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let routes = try #require(object["data"] as? [[String: Any]])
        #expect(routes.map { $0["name"] as? String } == ["orders", "orders-plain", "users"])
        let chain = try #require(routes[0]["plugins"] as? [[String: Any]])
        // correlation-id (100001) runs before rate-limiting (910).
        #expect(chain.map { $0["name"] as? String } == ["correlation-id", "rate-limiting"])
        #expect(chain.map { $0["priority"] as? Int } == [100_001, 910])
        let limits = try #require(chain[1]["config"] as? [String: Any])
        // The route's minute over the global entry's, the rest of the global entry kept, the password hidden.
        #expect(limits["minute"] as? Int == 60)
        #expect(limits["policy"] as? String == "redis")
        let redis = try #require(limits["redis"] as? [String: Any])
        #expect(redis["password"] as? String == "<redacted>")
        #expect(redis["host"] as? String == "127.0.0.1")
        // Switched off on the second route; the third runs the global entry that is on.
        #expect((routes[1]["plugins"] as? [Any])?.isEmpty == true)
        #expect((routes[2]["plugins"] as? [[String: Any]])?.map { $0["name"] as? String } == ["correlation-id"])
        for secret in Self.secrets { #expect(!body.contains(secret)) }
    }

    @Test func pluginsListTheGlobalEntries() async throws {
        let body = try await Self.api().text(.GET, "/plugins")
        let expected = #"""
            {"data":[\#
            {"config":{"header_name":"X-Request-ID"},"enabled":true,"name":"correlation-id","source":"plugins.json"},\#
            {"config":{"minute":600,"policy":"redis","redis":{"host":"127.0.0.1","password":"<redacted>","port":1}},\#
            "enabled":false,"name":"rate-limiting","source":"plugins.json"}\#
            ],"next":null}
            """#
        #expect(body == expected)
    }

    @Test func consumersNeverShowCredentials() async throws {
        let body = try await Self.api().text(.GET, "/consumers")
        let expected = #"""
            {"data":[\#
            {"credentials":{"jwt":[{"algorithm":"HS256","key":"<redacted>","secret":"<redacted>"}],\#
            "key-auth":[{"key":"<redacted>"}]},"custom_id":"m-1","groups":["customers"],"username":"mobile-app"},\#
            {"credentials":{},"custom_id":null,"groups":[],"username":"batch"}\#
            ],"next":null}
            """#
        #expect(body == expected)
        for secret in Self.secrets { #expect(!body.contains(secret)) }
    }
}
