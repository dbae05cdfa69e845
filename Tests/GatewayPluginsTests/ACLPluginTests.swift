import Gateway
import NIOHTTP1
import Testing

@testable import GatewayPlugins

@Suite struct ACLPluginTests {
    private static func plugin(_ fields: [JSONMember]) throws -> ACLPlugin {
        var reader = PluginConfigReader(config: .object(fields), file: "plugins.json", path: "plugins[0].config")
        let configuration = ACLConfiguration(from: &reader)
        reader.finish()
        try #require(reader.errors.isEmpty, "\(reader.errors)")
        return ACLPlugin(configuration: configuration, setup: PluginSetup())
    }

    private static func request(groups: [String]?) -> PluginRequest {
        let request = PluginRequest(
            method: .GET,
            path: "/",
            clientAddress: "127.0.0.1",
            routeName: "r",
            serviceName: "s",
            headers: [:]
        )
        if let groups {
            let consumer = Consumer(username: "u", groups: groups, location: ConfigLocation(file: "plugins.json", path: "consumers[0]"))
            request.authenticate(consumer, credential: "c1")
        }
        return request
    }

    private static func status(_ action: PluginAction) -> HTTPResponseStatus? {
        if case .respond(let reply) = action { return reply.status }
        return nil
    }

    private static let allowAdmins = [JSONMember(key: "allow", value: .array([.string("admin")]))]

    @Test func allowedGroupPassesAndIsForwarded() throws {
        let request = Self.request(groups: ["users", "admin"])
        #expect(Self.status(try Self.plugin(Self.allowAdmins).access(request)) == nil)
        #expect(request.headers.first(name: "x-consumer-groups") == "users, admin")
    }

    @Test func otherGroupsAre403WithKongsMessage() throws {
        let action = try Self.plugin(Self.allowAdmins).access(Self.request(groups: ["users"]))
        guard case .respond(let reply) = action else {
            Issue.record("expected an answer")
            return
        }
        #expect(reply.status == .forbidden)
        #expect(reply.body == #"{"message":"You cannot consume this service"}"#)
    }

    @Test func deniedGroupIs403() throws {
        let plugin = try Self.plugin([JSONMember(key: "deny", value: .array([.string("banned")]))])
        #expect(Self.status(plugin.access(Self.request(groups: ["banned"]))) == .forbidden)
        #expect(Self.status(plugin.access(Self.request(groups: ["users"]))) == nil)
    }

    @Test func noConsumerIs401() throws {
        #expect(Self.status(try Self.plugin(Self.allowAdmins).access(Self.request(groups: nil))) == .unauthorized)
    }

    @Test func groupsHeaderIsHiddenWhenAsked() throws {
        let plugin = try Self.plugin(Self.allowAdmins + [JSONMember(key: "hide_groups_header", value: .bool(true))])
        let request = Self.request(groups: ["admin"])
        _ = plugin.access(request)
        #expect(request.headers.first(name: "x-consumer-groups") == nil)
    }

    @Test func exactlyOneOfAllowAndDeny() {
        for fields in [[], Self.allowAdmins + [JSONMember(key: "deny", value: .array([]))]] {
            var reader = PluginConfigReader(config: .object(fields), file: "plugins.json", path: "plugins[0].config")
            _ = ACLConfiguration(from: &reader)
            #expect(reader.errors.count == 1)
        }
    }

    @Test func chainRunsKeyAuthBeforeACL() throws {
        let plugins = """
            {"consumers": [{"username": "a", "groups": ["admin"], "credentials": {"key-auth": [{"key": "k"}]}}],
             "plugins": [{"name": "acl", "config": {"allow": ["admin"]}}, {"name": "key-auth"}]}
            """
        let routes = #"{"service": {"name": "s", "url": "http://127.0.0.1:9"}, "routes": [{"paths": ["/"]}]}"#
        let configuration = try ConfigLoader.load(
            pluginsFile: plugins,
            routeFiles: [("routes/s.json", routes)],
            environment: [:],
            plugins: BundledPlugins.registry
        )
        let runtime = try GatewayRuntime(configuration: configuration, plugins: BundledPlugins.registry)
        let chain = runtime.chains[0]
        #expect(chain.entries.map(\.name) == ["key-auth", "acl"])
        let request = PluginRequest(
            method: .GET,
            path: "/",
            clientAddress: "127.0.0.1",
            routeName: "s-1",
            serviceName: "s",
            headers: ["apikey": "k"]
        )
        for entry in chain.entries { #expect(Self.status(entry.plugin.access(request)) == nil) }
        #expect(request.headers.first(name: "x-consumer-username") == "a")
    }
}
