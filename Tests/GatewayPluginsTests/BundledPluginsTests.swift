import Foundation
import Gateway
import Testing

@testable import GatewayPlugins

@Suite struct BundledPluginsTests {
    @Test func registryKnowsEveryBundledPlugin() {
        #expect(
            BundledPlugins.registry.pluginNames == [
                "acl", "correlation-id", "cors", "ip-restriction", "jwt", "key-auth", "prometheus", "rate-limiting",
                "request-size-limiting", "request-transformer", "response-transformer",
            ]
        )
    }

    @Test func consumersCredentialsAreValidatedAtLoad() {
        let plugins = """
            {"consumers": [
              {"username": "a", "credentials": {"key-auth": [{"key": "${API_KEY}", "colour": 1}, {"id": "k2"}]}}
            ]}
            """
        #expect {
            _ = try ConfigLoader.load(
                pluginsFile: plugins,
                routeFiles: [],
                environment: ["API_KEY": "super-secret"],
                plugins: BundledPlugins.registry
            )
        } throws: { error in
            let lines = (error as? ConfigErrors)?.errors.map(\.description) ?? []
            return lines == [
                "plugins.json: consumers[0].credentials.key-auth[0].colour: unknown field; allowed fields are id, key",
                "plugins.json: consumers[0].credentials.key-auth[1].key: is required: a non-empty string",
            ] && !lines.joined().contains("super-secret")
        }
    }

    @Test func aServicesOrRoutesObjectIsCheckedLaidOverTheGlobalEntry() throws {
        let plugins = #"{"plugins": [{"name": "rate-limiting", "enabled": false, "config": {"minute": 10}}]}"#
        func load(_ servicePlugins: String, _ routePlugins: String) throws -> GatewayConfiguration {
            let routes = """
                {"service": {"name": "s", "url": "http://127.0.0.1:9", "plugins": \(servicePlugins)},
                 "routes": [{"paths": ["/"], "plugins": \(routePlugins)}]}
                """
            return try ConfigLoader.load(
                pluginsFile: plugins,
                routeFiles: [("routes/s.json", routes)],
                environment: [:],
                plugins: BundledPlugins.registry
            )
        }
        // One field on the route; the limits come from the global entry.
        _ = try load("{}", #"{"rate-limiting": {"window_type": "sliding"}}"#)
        _ = try load(#"{"rate-limiting": {"hour": 100}}"#, #"{"rate-limiting": {"fault_tolerant": false}}"#)
        #expect {
            try load("{}", #"{"rate-limiting": {"minute": "sixty"}}"#)
        } throws: { error in
            (error as? ConfigErrors)?.errors.map(\.description)
                == [#"routes/s.json: routes[0].plugins.rate-limiting.minute: expected a positive integer, got "sixty""#]
        }
    }

    @Test func theRepositorysOwnConfigurationLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let configuration = try ConfigLoader(directory: root.path, environment: [:], plugins: BundledPlugins.registry).load()
        _ = try GatewayRuntime(configuration: configuration, plugins: BundledPlugins.registry)
    }
}
