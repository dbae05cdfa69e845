import Gateway
import GatewayTesting
import NIOHTTP1
import Testing

@testable import GatewayPlugins

@Suite struct KeyAuthPluginTests {
    private static let consumers = """
        [{"username": "mobile-app", "custom_id": "app-7", "groups": ["customers", "beta"],
          "credentials": {"key-auth": [{"key": "secret-1"}]}},
         {"username": "guest"}]
        """

    private static func harness(_ config: String = "{}") throws -> PluginHarness {
        try PluginHarness(KeyAuthPlugin.self, config: config, consumers: Self.consumers)
    }

    @Test func missingKeyIs401WithKongsMessageAndRealm() async throws {
        let run = try await Self.harness().run(TestRequest())
        #expect(run.wasAnswered)
        #expect(run.response.status == .unauthorized)
        #expect(run.response.body == #"{"message":"No API key found in request"}"#)
        #expect(run.response.headers.first(name: "www-authenticate") == #"Key realm="kong""#)
    }

    @Test func unknownKeyIs401() async throws {
        let run = try await Self.harness().run(TestRequest(headers: ["apikey": "nope"]))
        #expect(run.response.status == .unauthorized)
        #expect(run.response.body == #"{"message":"Invalid authentication credentials"}"#)
    }

    @Test func duplicateKeyIs401() async throws {
        let run = try await Self.harness().run(TestRequest(headers: HTTPHeaders([("apikey", "secret-1"), ("apikey", "secret-1")])))
        #expect(run.response.body == #"{"message":"Duplicate API key found"}"#)
    }

    @Test func validKeyInAHeaderSetsTheConsumerHeaders() async throws {
        let run = try await Self.harness().run(TestRequest(headers: ["apikey": "secret-1"]))
        let changes = run.upstreamHeaderChanges
        #expect(!run.wasAnswered)
        #expect(changes.addedValue("x-consumer-id") == "mobile-app")
        #expect(changes.addedValue("x-consumer-username") == "mobile-app")
        #expect(changes.addedValue("x-consumer-custom-id") == "app-7")
        #expect(changes.addedValue("x-consumer-groups") == "customers, beta")
        #expect(changes.addedValue("x-credential-identifier") == "mobile-app:key-auth:1")
        #expect(changes.addedValue("x-anonymous-consumer") == nil)
        #expect(!changes.removed("apikey"))
        #expect(run.consumer?.username == "mobile-app")
    }

    @Test func validKeyInTheQueryIsHiddenWhenAsked() async throws {
        let run = try await Self.harness(#"{"hide_credentials": true}"#).run(TestRequest(.GET, "/?a=1&apikey=secret%2D1&b=%20"))
        #expect(run.consumer?.username == "mobile-app")
        #expect(run.upstreamRequest?.query == "a=1&b=%20")
    }

    @Test func hiddenHeaderKeyIsRemoved() async throws {
        let run = try await Self.harness(#"{"hide_credentials": true}"#).run(TestRequest(headers: ["apikey": "secret-1"]))
        #expect(run.upstreamHeaderChanges.removed("apikey"))
    }

    @Test func anonymousConsumerStandsInForAMissingKey() async throws {
        let run = try await Self.harness(#"{"anonymous": "guest"}"#).run(TestRequest())
        #expect(!run.wasAnswered)
        #expect(run.upstreamHeaderChanges.addedValue("x-consumer-username") == "guest")
        #expect(run.upstreamHeaderChanges.addedValue("x-anonymous-consumer") == "true")
    }

    @Test func anonymousThatDoesNotExistIs500() async throws {
        let run = try await Self.harness(#"{"anonymous": "nobody"}"#).run(TestRequest())
        #expect(run.response.status == .internalServerError)
    }

    @Test func preflightPassesWhenNotRunOnPreflight() async throws {
        let skipping = try await Self.harness(#"{"run_on_preflight": false}"#).run(TestRequest(.OPTIONS))
        #expect(!skipping.wasAnswered)
        #expect(try await Self.harness().run(TestRequest(.OPTIONS)).wasAnswered)
    }

    @Test func credentialsAreChecked() {
        #expect {
            _ = try PluginHarness(KeyAuthPlugin.self, consumers: #"[{"username": "a", "credentials": {"key-auth": [{"secret": "x"}]}}]"#)
        } throws: { error in
            (error as? ConfigErrors)?.errors.map(\.description) == [
                "plugins.json: consumers[0].credentials.key-auth[0].key: is required: a non-empty string",
                "plugins.json: consumers[0].credentials.key-auth[0].secret: unknown field; allowed fields are id, key",
            ]
        }
    }

    @Test func keyInBodyIsRefusedAtLoad() {
        #expect(throws: ConfigErrors.self) { try Self.harness(#"{"key_in_body": true}"#) }
        #expect(KeyAuthPlugin.priority == 1250)
    }
}

@Suite struct QueryStringTests {
    @Test func readsDecodedValues() {
        #expect(QueryString.values(of: "a b", in: "a+b=1%2B2&x&a%20b=3") == ["1+2", "3"])
        #expect(QueryString.values(of: "x", in: "a=1&x") == [""])
    }

    @Test func removesAParameterKeepingTheRestByteForByte() {
        #expect(QueryString.removing("k", from: "a=%41&k=1&b=&&c") == "a=%41&b=&&c")
        #expect(QueryString.removing("k", from: "k=1&k=2") == nil)
    }
}
