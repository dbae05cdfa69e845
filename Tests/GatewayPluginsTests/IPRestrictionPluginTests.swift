import Gateway
import NIOHTTP1
import Testing

@testable import GatewayPlugins

@Suite struct IPRestrictionPluginTests {
    private static func plugin(_ fields: [JSONMember]) throws -> IPRestrictionPlugin {
        var reader = PluginConfigReader(config: .object(fields), file: "plugins.json", path: "plugins[0].config")
        let configuration = IPRestrictionConfiguration(from: &reader)
        reader.finish()
        try #require(reader.errors.isEmpty, "\(reader.errors)")
        return IPRestrictionPlugin(configuration: configuration, setup: PluginSetup())
    }

    private static func reply(_ plugin: IPRestrictionPlugin, from address: String) -> PluginReply? {
        let request = PluginRequest(
            method: .GET,
            path: "/",
            clientAddress: address,
            routeName: "r",
            serviceName: "s",
            headers: [:]
        )
        if case .respond(let reply) = plugin.access(request) { return reply }
        return nil
    }

    private static func list(_ key: String, _ entries: [String]) -> JSONMember {
        JSONMember(key: key, value: .array(entries.map { .string($0) }))
    }

    @Test func allowListLetsOnlyItsAddressesThrough() throws {
        let plugin = try Self.plugin([Self.list("allow", ["10.0.0.0/8", "2001:db8::/32"])])
        #expect(Self.reply(plugin, from: "10.1.2.3") == nil)
        #expect(Self.reply(plugin, from: "2001:db8::7") == nil)
        let refused = try #require(Self.reply(plugin, from: "192.168.1.9"))
        #expect(refused.status == .forbidden)
        #expect(refused.body == #"{"message":"IP address not allowed: 192.168.1.9"}"#)
    }

    @Test func denyListRefusesItsAddresses() throws {
        let plugin = try Self.plugin([Self.list("deny", ["127.0.0.1", "::1"])])
        #expect(Self.reply(plugin, from: "127.0.0.1") != nil)
        #expect(Self.reply(plugin, from: "::1") != nil)
        #expect(Self.reply(plugin, from: "127.0.0.2") == nil)
    }

    @Test func statusAndMessageAreConfigurable() throws {
        let plugin = try Self.plugin([
            Self.list("deny", ["0.0.0.0/0"]),
            JSONMember(key: "status", value: .integer(401)),
            JSONMember(key: "message", value: .string("go away")),
        ])
        let reply = try #require(Self.reply(plugin, from: "8.8.8.8"))
        #expect(reply.status == .unauthorized)
        #expect(reply.body == #"{"message":"go away"}"#)
    }

    @Test func badEntriesAndMissingListsAreLoadErrors() {
        var reader = PluginConfigReader(
            config: .object([Self.list("allow", ["10.0.0.0/33", "nope"])]),
            file: "plugins.json",
            path: "plugins[0].config"
        )
        _ = IPRestrictionConfiguration(from: &reader)
        #expect(reader.errors.map(\.description) == [
            "plugins.json: plugins[0].config.allow[0]: expected an IP address or CIDR block, got \"10.0.0.0/33\"",
            "plugins.json: plugins[0].config.allow[1]: expected an IP address or CIDR block, got \"nope\"",
        ])
        var empty = PluginConfigReader(config: .object([]), file: "plugins.json", path: "plugins[0].config")
        _ = IPRestrictionConfiguration(from: &empty)
        #expect(empty.errors.count == 1)
        #expect(IPRestrictionPlugin.priority == 990)
    }
}
