import Testing

@testable import Gateway

@Suite struct ConfigDecoderPluginsFileTests {
    @Test func appliesDefaultsToConsumersAndPluginEntries() throws {
        let plugins = #"{ "consumers": [{ "username": "a", "custom_id": "42" }], "plugins": [{ "name": "cors" }] }"#
        let configuration = try ConfigFixtures.load(plugins: plugins)
        #expect(
            configuration.consumers == [
                Consumer(
                    username: "a", customID: "42", location: ConfigLocation(file: "plugins.json", path: "consumers[0]"))
            ]
        )
        #expect(
            configuration.plugins == [
                PluginEntry(
                    name: "cors", enabled: true, config: .object([]),
                    location: ConfigLocation(file: "plugins.json", path: "plugins[0]"))
            ]
        )
    }

    @Test func rejectsInvalidConsumers() {
        let plugins = """
            { "consumers": [
                { "username": "a", "credentials": { "jwt": {}, "basic-auth": [], "key-auth": [{ "key": "k" }, "k2"] } },
                { "username": "", "custom_id": "" },
                { "username": "a", "tags": [] }
            ] }
            """
        #expect(
            ConfigFixtures.errors(plugins: plugins) == [
                "plugins.json: consumers[0].credentials.basic-auth: unknown plugin; known plugins are correlation-id, "
                    + "cors, jwt, key-auth, rate-limiting",
                "plugins.json: consumers[0].credentials.jwt: expected an array, got an object",
                "plugins.json: consumers[0].credentials.key-auth[1]: expected an object, got \"k2\"",
                "plugins.json: consumers[1].custom_id: expected a non-empty string, got \"\"",
                "plugins.json: consumers[1].username: expected a non-empty string, got \"\"",
                "plugins.json: consumers[2].tags: unknown field; allowed fields are username, custom_id, groups, "
                    + "credentials",
                "plugins.json: consumers[2].username: expected a unique username, got \"a\" (already used at "
                    + "plugins.json: consumers[0].username)",
            ]
        )
    }

    @Test func rejectsInvalidPluginEntries() {
        let plugins = """
            { "plugins": [
                { "name": "foo" },
                { "name": "jwt", "enabled": "no" },
                { "name": "jwt", "config": [] },
                { "enabled": true },
                { "name": "rate-limiting", "config": { "minute": 0 } },
                { "name": "cors", "protocols": ["http"] }
            ] }
            """
        #expect(
            ConfigFixtures.errors(plugins: plugins) == [
                "plugins.json: plugins[0].name: expected a known plugin name, got \"foo\"",
                "plugins.json: plugins[1].enabled: expected true or false, got \"no\"",
                "plugins.json: plugins[2].config: expected an object, got an array",
                "plugins.json: plugins[2].name: expected a unique plugin, got \"jwt\" (already used at plugins.json: "
                    + "plugins[1].name)",
                "plugins.json: plugins[3].name: is required",
                "plugins.json: plugins[4].config.minute: expected a positive integer, got 0",
                "plugins.json: plugins[5].protocols: unknown field; allowed fields are name, enabled, config",
            ]
        )
    }
}
