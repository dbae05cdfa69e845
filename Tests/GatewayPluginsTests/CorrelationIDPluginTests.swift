import Gateway
import GatewayTesting
import NIOHTTP1
import Testing

@testable import GatewayPlugins

@Suite struct CorrelationIDPluginTests {
    @Test func defaultsAreKongs() {
        var reader = PluginConfigReader(config: .object([]), file: "plugins.json", path: "plugins[0].config")
        let configuration = CorrelationIDConfiguration(from: &reader)
        #expect(configuration.headerName == "Kong-Request-ID")
        #expect(configuration.generator == .uuidCounter)
        #expect(!configuration.echoDownstream)
        #expect(CorrelationIDPlugin.priority == 100_001)
    }

    @Test func badFieldsAreReportedWithTheirPaths() {
        #expect {
            try PluginHarness(CorrelationIDPlugin.self, config: #"{"generator": "tracker", "echo_downstream": "yes", "colour": 1}"#)
        } throws: { error in
            (error as? ConfigErrors)?.errors.map(\.description) == [
                "plugins.json: plugins[0].config.colour: unknown field; allowed fields are echo_downstream, generator, header_name",
                "plugins.json: plugins[0].config.echo_downstream: expected true or false, got \"yes\"",
                "plugins.json: plugins[0].config.generator: expected \"uuid\" or \"uuid#counter\" (\"tracker\" is not supported yet), got \"tracker\"",
            ]
        }
    }

    @Test func setsAnIDWhenTheClientSentNone() async throws {
        let harness = try PluginHarness(CorrelationIDPlugin.self, config: #"{"header_name": "X-Request-ID"}"#)
        let first = try await harness.run(TestRequest())
        let second = try await harness.run(TestRequest())
        let ids = [first, second].compactMap { $0.upstreamHeaderChanges.addedValue("x-request-id") }
        #expect(ids.count == 2)
        #expect(ids[0] != ids[1])
        #expect(ids[0].hasSuffix("#1") && ids[1].hasSuffix("#2"))
    }

    @Test func keepsTheClientsID() async throws {
        let run = try await PluginHarness(CorrelationIDPlugin.self).run(TestRequest(headers: ["Kong-Request-ID": "abc"]))
        #expect(run.upstreamHeaderChanges.isEmpty)
        #expect(run.upstreamRequest?.headers[canonicalForm: "kong-request-id"] == ["abc"])
    }

    @Test func uuidGeneratorMakesUUIDs() async throws {
        let run = try await PluginHarness(CorrelationIDPlugin.self, config: #"{"generator": "uuid"}"#).run(TestRequest())
        let id = try #require(run.upstreamHeaderChanges.addedValue("kong-request-id"))
        #expect(id.count == 36 && !id.contains("#"))
    }

    @Test(arguments: [true, false])
    func echoesDownstreamOnlyWhenAsked(echo: Bool) async throws {
        let run = try await PluginHarness(CorrelationIDPlugin.self, config: #"{"echo_downstream": \#(echo)}"#).run(TestRequest())
        let sent = run.upstreamHeaderChanges.addedValue("kong-request-id")
        #expect(run.clientHeaderChanges.addedValue("kong-request-id") == (echo ? sent : nil))
    }

    @Test func echoesOnAnswersOtherPluginsMake() async throws {
        let harness = try PluginHarness(
            chain: [(CorrelationIDPlugin.self, #"{"echo_downstream": true}"#), (KeyAuthPlugin.self, "{}")]
        )
        let run = try await harness.run(TestRequest())
        #expect(run.response.status == .unauthorized)
        #expect(run.clientHeaderChanges.addedValue("kong-request-id") != nil)
    }
}
