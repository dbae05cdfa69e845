import Gateway
import GatewayTesting
import NIOHTTP1
import Testing

@testable import GatewayPlugins

@Suite struct IPRestrictionPluginTests {
    private static func answer(_ harness: PluginHarness, from address: String) async throws -> TestResponse? {
        let run = try await harness.run(TestRequest(clientAddress: address))
        return run.wasAnswered ? run.response : nil
    }

    @Test func allowListLetsOnlyItsAddressesThrough() async throws {
        let harness = try PluginHarness(IPRestrictionPlugin.self, config: #"{"allow": ["10.0.0.0/8", "2001:db8::/32"]}"#)
        #expect(try await Self.answer(harness, from: "10.1.2.3") == nil)
        #expect(try await Self.answer(harness, from: "2001:db8::7") == nil)
        let refused = try #require(try await Self.answer(harness, from: "192.168.1.9"))
        #expect(refused.status == .forbidden)
        #expect(refused.body == #"{"message":"IP address not allowed: 192.168.1.9"}"#)
    }

    @Test func denyListRefusesItsAddresses() async throws {
        let harness = try PluginHarness(IPRestrictionPlugin.self, config: #"{"deny": ["127.0.0.1", "::1"]}"#)
        #expect(try await Self.answer(harness, from: "127.0.0.1") != nil)
        #expect(try await Self.answer(harness, from: "::1") != nil)
        #expect(try await Self.answer(harness, from: "127.0.0.2") == nil)
    }

    @Test func statusAndMessageAreConfigurable() async throws {
        let harness = try PluginHarness(
            IPRestrictionPlugin.self,
            config: #"{"deny": ["0.0.0.0/0"], "status": 401, "message": "go away"}"#
        )
        let reply = try #require(try await Self.answer(harness, from: "8.8.8.8"))
        #expect(reply.status == .unauthorized)
        #expect(reply.body == #"{"message":"go away"}"#)
    }

    @Test func badEntriesAndMissingListsAreLoadErrors() {
        #expect {
            try PluginHarness(IPRestrictionPlugin.self, config: #"{"allow": ["10.0.0.0/33", "nope"]}"#)
        } throws: { error in
            (error as? ConfigErrors)?.errors.map(\.description) == [
                "plugins.json: plugins[0].config.allow[0]: expected an IP address or CIDR block, got \"10.0.0.0/33\"",
                "plugins.json: plugins[0].config.allow[1]: expected an IP address or CIDR block, got \"nope\"",
            ]
        }
        #expect(throws: ConfigErrors.self) { try PluginHarness(IPRestrictionPlugin.self) }
        #expect(IPRestrictionPlugin.priority == 990)
    }
}
