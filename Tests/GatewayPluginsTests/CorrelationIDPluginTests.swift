import Gateway
import NIOHTTP1
import Testing

@testable import GatewayPlugins

@Suite struct CorrelationIDPluginTests {
    private static func plugin(_ config: JSONValue) throws -> CorrelationIDPlugin {
        var reader = PluginConfigReader(config: config, file: "plugins.json", path: "plugins[0].config")
        let configuration = CorrelationIDConfiguration(from: &reader)
        reader.finish()
        try #require(reader.errors.isEmpty, "\(reader.errors)")
        return CorrelationIDPlugin(configuration: configuration, setup: PluginSetup())
    }

    private static func request(_ headers: HTTPHeaders = [:]) -> PluginRequest {
        PluginRequest(method: .GET, path: "/", clientAddress: "127.0.0.1", routeName: "r", serviceName: "s", headers: headers)
    }

    @Test func defaultsAreKongs() {
        var reader = PluginConfigReader(config: .object([]), file: "plugins.json", path: "plugins[0].config")
        let configuration = CorrelationIDConfiguration(from: &reader)
        #expect(configuration.headerName == "Kong-Request-ID")
        #expect(configuration.generator == .uuidCounter)
        #expect(!configuration.echoDownstream)
        #expect(CorrelationIDPlugin.priority == 100_001)
    }

    @Test func badFieldsAreReportedWithTheirPaths() {
        let config = JSONValue.object([
            JSONMember(key: "generator", value: .string("tracker")),
            JSONMember(key: "echo_downstream", value: .string("yes")),
            JSONMember(key: "colour", value: .integer(1)),
        ])
        var reader = PluginConfigReader(config: config, file: "plugins.json", path: "plugins[0].config")
        _ = CorrelationIDConfiguration(from: &reader)
        reader.finish()
        #expect(reader.errors.map(\.description) == [
            "plugins.json: plugins[0].config.generator: expected \"uuid\" or \"uuid#counter\" (\"tracker\" is not supported yet), got \"tracker\"",
            "plugins.json: plugins[0].config.echo_downstream: expected true or false, got \"yes\"",
            "plugins.json: plugins[0].config.colour: unknown field; allowed fields are echo_downstream, generator, header_name",
        ])
    }

    @Test func setsAnIDWhenTheClientSentNone() throws {
        let plugin = try Self.plugin(.object([JSONMember(key: "header_name", value: .string("X-Request-ID"))]))
        let first = Self.request()
        let second = Self.request()
        _ = plugin.access(first)
        _ = plugin.access(second)
        let ids = [first, second].compactMap { $0.headers.first(name: "x-request-id") }
        #expect(ids.count == 2)
        #expect(ids[0] != ids[1])
        #expect(ids[0].hasSuffix("#1") && ids[1].hasSuffix("#2"))
    }

    @Test func keepsTheClientsID() throws {
        let plugin = try Self.plugin(.object([]))
        let request = Self.request(["Kong-Request-ID": "abc"])
        _ = plugin.access(request)
        #expect(request.headers[canonicalForm: "kong-request-id"] == ["abc"])
    }

    @Test func uuidGeneratorMakesUUIDs() throws {
        let plugin = try Self.plugin(.object([JSONMember(key: "generator", value: .string("uuid"))]))
        let request = Self.request()
        _ = plugin.access(request)
        let id = try #require(request.headers.first(name: "kong-request-id"))
        #expect(id.count == 36 && !id.contains("#"))
    }

    @Test(arguments: [true, false])
    func echoesDownstreamOnlyWhenAsked(echo: Bool) throws {
        let plugin = try Self.plugin(.object([JSONMember(key: "echo_downstream", value: .bool(echo))]))
        let request = Self.request()
        _ = plugin.access(request)
        let response = PluginResponse(status: .ok, headers: [:])
        plugin.response(request, response)
        #expect((response.headers.first(name: "kong-request-id") != nil) == echo)
        if echo { #expect(response.headers.first(name: "kong-request-id") == request.headers.first(name: "kong-request-id")) }
    }
}
