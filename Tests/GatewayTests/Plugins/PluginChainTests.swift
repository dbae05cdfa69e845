import Testing

@testable import Gateway

@Suite struct PluginChainTests {
    private static func load(_ plugins: String, route: String, service: String = "") throws -> GatewayRuntime {
        let servicePlugins = service.isEmpty ? "" : #", "plugins": \#(service)"#
        let routes = #"{"service": {"name": "s", "url": "http://127.0.0.1:9"\#(servicePlugins)}, "routes": [\#(route)]}"#
        let configuration = try ConfigLoader.load(
            pluginsFile: plugins,
            routeFiles: [("routes/s.json", routes)],
            environment: [:],
            plugins: testPlugins
        )
        return try GatewayRuntime(configuration: configuration, plugins: testPlugins)
    }

    private static func tag(_ runtime: GatewayRuntime, route: Int = 0) -> String? {
        guard let entry = runtime.chains[route].entries.first(where: { $0.name == "tag" }) else { return nil }
        return (entry.plugin as? TagPlugin)?.configuration.tag
    }

    @Test func globalEnabledPluginRunsEverywhere() throws {
        let runtime = try Self.load(#"{"plugins": [{"name": "tag", "config": {"tag": "g"}}]}"#, route: #"{"paths": ["/a"]}"#)
        #expect(Self.tag(runtime) == "g")
    }

    @Test func disabledGlobalOnlyDefinesDefaults() throws {
        let plugins = #"{"plugins": [{"name": "tag", "enabled": false, "config": {"tag": "g"}}]}"#
        #expect(Self.tag(try Self.load(plugins, route: #"{"paths": ["/a"]}"#)) == nil)
        #expect(Self.tag(try Self.load(plugins, route: #"{"paths": ["/a"], "plugins": {"tag": true}}"#)) == "g")
    }

    @Test func routeBeatsServiceBeatsGlobal() throws {
        let plugins = #"{"plugins": [{"name": "tag", "config": {"tag": "g", "block": false}}]}"#
        let service = #"{"tag": {"tag": "s"}}"#
        let onService = try Self.load(plugins, route: #"{"paths": ["/a"]}"#, service: service)
        #expect(Self.tag(onService) == "s")
        let onRoute = try Self.load(plugins, route: #"{"paths": ["/a"], "plugins": {"tag": {"tag": "r"}}}"#, service: service)
        #expect(Self.tag(onRoute) == "r")
        // Fields not named by the route come from the layers below it.
        let plugin = try #require(onRoute.chains[0].entries.first?.plugin as? TagPlugin)
        #expect(plugin.configuration.block == false)
        let off = try Self.load(plugins, route: #"{"paths": ["/a"], "plugins": {"tag": false}}"#, service: service)
        #expect(Self.tag(off) == nil)
    }

    @Test func chainRunsHighestPriorityFirst() throws {
        let runtime = try Self.load(#"{"plugins": [{"name": "tag"}, {"name": "first"}]}"#, route: #"{"paths": ["/a"]}"#)
        #expect(runtime.chains[0].entries.map(\.name) == ["first", "tag"])
    }

    @Test func mergedConfigurationErrorsNameTheRoute() throws {
        #expect {
            _ = try Self.load(#"{"plugins": []}"#, route: #"{"paths": ["/a"], "plugins": {"tag": {"tag": 5}}}"#)
        } throws: { error in
            (error as? ConfigErrors)?.errors.map(\.description).contains(
                "routes/s.json: routes[0].plugins.tag.tag: expected a string, got 5"
            ) == true
        }
    }

    @Test func scopeIsWhereTheConfigurationWasWritten() throws {
        let plugins = #"{"plugins": [{"name": "sharing", "enabled": false}]}"#
        func scope(route: String, service: String = "") throws -> PluginScope? {
            let runtime = try Self.load(plugins, route: route, service: service)
            return (runtime.chains[0].entries.first?.plugin as? SharingPlugin)?.setup.scope
        }
        #expect(try scope(route: #"{"name": "r", "paths": ["/a"], "plugins": {"sharing": true}}"#) == .global)
        #expect(try scope(route: #"{"name": "r", "paths": ["/a"]}"#, service: #"{"sharing": {}}"#) == .service("s"))
        #expect(try scope(route: #"{"name": "r", "paths": ["/a"], "plugins": {"sharing": {}}}"#, service: #"{"sharing": {}}"#) == .route("r"))
        #expect(try scope(route: #"{"name": "r", "paths": ["/a"]}"#, service: #"{"sharing": true}"#) == .global)
        #expect(PluginScope.service("s").description == "service:s")
    }

    @Test func nestedObjectsAreReadWithTheirOwnPath() throws {
        let runtime = try Self.load(#"{"plugins": [{"name": "sharing", "config": {"inner": {"size": 3}}}]}"#, route: #"{"paths": ["/a"]}"#)
        #expect((runtime.chains[0].entries.first?.plugin as? SharingPlugin)?.configuration.size == 3)
        #expect {
            _ = try Self.load(#"{"plugins": [{"name": "sharing", "config": {"inner": {"size": 0, "colour": 1}}}]}"#, route: #"{"paths": ["/a"]}"#)
        } throws: { error in
            (error as? ConfigErrors)?.errors.map(\.description) == [
                "plugins.json: plugins[0].config.inner.colour: unknown field; allowed fields are size",
                "plugins.json: plugins[0].config.inner.size: expected an integer from 1 to 10, got 0",
            ]
        }
        #expect {
            _ = try Self.load(#"{"plugins": [{"name": "sharing", "config": {"inner": 5}}]}"#, route: #"{"paths": ["/a"]}"#)
        } throws: { error in
            (error as? ConfigErrors)?.errors.map(\.description) == ["plugins.json: plugins[0].config.inner: expected an object, got 5"]
        }
    }

    @Test func layeringMergesObjectsFieldByField() {
        let base = JSONValue.object([
            JSONMember(key: "a", value: .integer(1)),
            JSONMember(key: "nested", value: .object([JSONMember(key: "x", value: .integer(1)), JSONMember(key: "y", value: .integer(2))])),
        ])
        let overlay = JSONValue.object([
            JSONMember(key: "nested", value: .object([JSONMember(key: "y", value: .integer(3))])),
            JSONMember(key: "b", value: .bool(true)),
        ])
        #expect(base.layering(overlay) == .object([
            JSONMember(key: "a", value: .integer(1)),
            JSONMember(key: "nested", value: .object([JSONMember(key: "x", value: .integer(1)), JSONMember(key: "y", value: .integer(3))])),
            JSONMember(key: "b", value: .bool(true)),
        ]))
    }
}
