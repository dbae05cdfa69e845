import Testing

@testable import Gateway

@Suite struct PluginCatalogConfigTests {
    @Test func noPluginsKnowsNoNames() {
        #expect(NoPlugins().pluginNames.isEmpty)
        #expect(
            NoPlugins().validate(plugin: "jwt", config: .object([]), file: "plugins.json", path: "plugins[0]").isEmpty)
    }

    @Test func withNoPluginsEveryPluginNameIsAnError() {
        let plugins = #"{ "plugins": [{ "name": "jwt" }] }"#
        let routes = ConfigFixtures.routesFile(
            service: #"{ "name": "a", "url": "http://a", "plugins": { "cors": true } }"#
        )
        #expect(
            throws: ConfigErrors([
                ConfigError(
                    file: "plugins.json",
                    path: "plugins[0].name",
                    message: "expected a known plugin name, got \"jwt\""
                ),
                ConfigError(
                    file: "routes/a.json",
                    path: "service.plugins.cors",
                    message: "unknown plugin; no plugins are compiled into this gateway"
                ),
            ])
        ) {
            try ConfigLoader.load(
                pluginsFile: plugins,
                routeFiles: [("routes/a.json", routes)],
                environment: [:],
                plugins: NoPlugins()
            )
        }
    }
}
