import Gateway
import GatewayTesting
import NIOHTTP1
import Testing

@testable import GatewayPlugins

@Suite struct ACLPluginTests {
    private static let consumers = """
        [{"username": "boss", "groups": ["users", "admin"]}, {"username": "user", "groups": ["users"]},
         {"username": "troll", "groups": ["banned"]}]
        """

    private static func harness(_ config: String) throws -> PluginHarness {
        try PluginHarness(ACLPlugin.self, config: config, consumers: Self.consumers)
    }

    private static let allowAdmins = #"{"allow": ["admin"]}"#

    @Test func allowedGroupPassesAndIsForwarded() async throws {
        let run = try await Self.harness(Self.allowAdmins).run(TestRequest(consumer: "boss", credentialIdentifier: "c1"))
        #expect(!run.wasAnswered)
        #expect(run.upstreamRequest?.headers.first(name: "x-consumer-groups") == "users, admin")
    }

    @Test func otherGroupsAre403WithKongsMessage() async throws {
        let run = try await Self.harness(Self.allowAdmins).run(TestRequest(consumer: "user", credentialIdentifier: "c1"))
        #expect(run.response.status == .forbidden)
        #expect(run.response.body == #"{"message":"You cannot consume this service"}"#)
    }

    @Test func deniedGroupIs403() async throws {
        let harness = try Self.harness(#"{"deny": ["banned"]}"#)
        #expect(try await harness.run(TestRequest(consumer: "troll", credentialIdentifier: "c")).response.status == .forbidden)
        #expect(try await !harness.run(TestRequest(consumer: "user", credentialIdentifier: "c")).wasAnswered)
    }

    @Test func noConsumerIs401() async throws {
        #expect(try await Self.harness(Self.allowAdmins).run(TestRequest()).response.status == .unauthorized)
    }

    @Test func groupsHeaderIsHiddenWhenAsked() async throws {
        let harness = try Self.harness(#"{"allow": ["admin"], "hide_groups_header": true}"#)
        let run = try await harness.run(TestRequest(consumer: "boss", credentialIdentifier: "c1"))
        #expect(run.upstreamHeaderChanges.removed("x-consumer-groups"))
        #expect(run.upstreamRequest?.headers.first(name: "x-consumer-groups") == nil)
    }

    @Test func exactlyOneOfAllowAndDeny() {
        for config in ["{}", #"{"allow": ["admin"], "deny": []}"#] {
            #expect(throws: ConfigErrors.self) { try Self.harness(config) }
        }
    }

    @Test func chainRunsKeyAuthBeforeACL() async throws {
        let harness = try PluginHarness(
            chain: [(ACLPlugin.self, #"{"allow": ["admin"]}"#), (KeyAuthPlugin.self, "{}")],
            consumers: #"[{"username": "a", "groups": ["admin"], "credentials": {"key-auth": [{"key": "k"}]}}]"#
        )
        #expect(harness.chain.entries.map(\.name) == ["key-auth", "acl"])
        let run = try await harness.run(TestRequest(headers: ["apikey": "k"]))
        #expect(!run.wasAnswered)
        #expect(run.upstreamRequest?.headers.first(name: "x-consumer-username") == "a")
        #expect(try await harness.run(TestRequest()).response.status == .unauthorized)
    }
}
