import Gateway
import NIOHTTP1
import Testing

@testable import GatewayPlugins

@Suite struct KeyAuthPluginTests {
    private static let consumers = ConsumerDirectory([
        Consumer(
            username: "mobile-app",
            customID: "app-7",
            groups: ["customers", "beta"],
            credentials: ["key-auth": [.object([JSONMember(key: "key", value: .string("secret-1"))])]],
            location: ConfigLocation(file: "plugins.json", path: "consumers[0]")
        ),
        Consumer(
            username: "guest",
            credentials: [:],
            location: ConfigLocation(file: "plugins.json", path: "consumers[1]")
        ),
    ])

    private static func plugin(_ fields: [JSONMember] = []) throws -> KeyAuthPlugin {
        var reader = PluginConfigReader(config: .object(fields), file: "plugins.json", path: "plugins[0].config")
        let configuration = KeyAuthConfiguration(from: &reader)
        reader.finish()
        try #require(reader.errors.isEmpty, "\(reader.errors)")
        return KeyAuthPlugin(configuration: configuration, setup: PluginSetup(consumers: Self.consumers))
    }

    private static func request(_ headers: HTTPHeaders = [:], query: Substring? = nil, method: HTTPMethod = .GET) -> PluginRequest {
        PluginRequest(
            method: method,
            path: "/",
            query: query,
            clientAddress: "127.0.0.1",
            routeName: "r",
            serviceName: "s",
            headers: headers
        )
    }

    private static func reply(_ action: PluginAction) -> PluginReply? {
        if case .respond(let reply) = action { return reply }
        return nil
    }

    @Test func missingKeyIs401WithKongsMessageAndRealm() throws {
        let reply = try #require(Self.reply(try Self.plugin().access(Self.request())))
        #expect(reply.status == .unauthorized)
        #expect(reply.body == #"{"message":"No API key found in request"}"#)
        #expect(reply.headers.first(name: "www-authenticate") == #"Key realm="kong""#)
    }

    @Test func unknownKeyIs401() throws {
        let reply = try #require(Self.reply(try Self.plugin().access(Self.request(["apikey": "nope"]))))
        #expect(reply.status == .unauthorized)
        #expect(reply.body == #"{"message":"Invalid authentication credentials"}"#)
    }

    @Test func duplicateKeyIs401() throws {
        let request = Self.request(HTTPHeaders([("apikey", "secret-1"), ("apikey", "secret-1")]))
        let reply = try #require(Self.reply(try Self.plugin().access(request)))
        #expect(reply.body == #"{"message":"Duplicate API key found"}"#)
    }

    @Test func validKeyInAHeaderSetsTheConsumerHeaders() throws {
        let request = Self.request(["apikey": "secret-1"])
        #expect(Self.reply(try Self.plugin().access(request)) == nil)
        #expect(request.headers.first(name: "x-consumer-id") == "mobile-app")
        #expect(request.headers.first(name: "x-consumer-username") == "mobile-app")
        #expect(request.headers.first(name: "x-consumer-custom-id") == "app-7")
        #expect(request.headers.first(name: "x-consumer-groups") == "customers, beta")
        #expect(request.headers.first(name: "x-credential-identifier") == "mobile-app:key-auth:1")
        #expect(request.headers.first(name: "x-anonymous-consumer") == nil)
        #expect(request.headers.first(name: "apikey") == "secret-1")
    }

    @Test func validKeyInTheQueryIsHiddenWhenAsked() throws {
        let plugin = try Self.plugin([JSONMember(key: "hide_credentials", value: .bool(true))])
        let request = Self.request(query: "a=1&apikey=secret%2D1&b=%20")
        #expect(Self.reply(plugin.access(request)) == nil)
        #expect(request.consumer?.username == "mobile-app")
        #expect(request.query == "a=1&b=%20")
    }

    @Test func anonymousConsumerStandsInForAMissingKey() throws {
        let plugin = try Self.plugin([JSONMember(key: "anonymous", value: .string("guest"))])
        let request = Self.request()
        #expect(Self.reply(plugin.access(request)) == nil)
        #expect(request.headers.first(name: "x-consumer-username") == "guest")
        #expect(request.headers.first(name: "x-anonymous-consumer") == "true")
    }

    @Test func anonymousThatDoesNotExistIs500() throws {
        let plugin = try Self.plugin([JSONMember(key: "anonymous", value: .string("nobody"))])
        let reply = try #require(Self.reply(plugin.access(Self.request())))
        #expect(reply.status == .internalServerError)
    }

    @Test func preflightPassesWhenNotRunOnPreflight() throws {
        let plugin = try Self.plugin([JSONMember(key: "run_on_preflight", value: .bool(false))])
        #expect(Self.reply(plugin.access(Self.request(method: .OPTIONS))) == nil)
        #expect(Self.reply(try Self.plugin().access(Self.request(method: .OPTIONS))) != nil)
    }

    @Test func credentialsAreChecked() {
        var reader = PluginConfigReader(
            config: .object([JSONMember(key: "secret", value: .string("x"))]),
            file: "plugins.json",
            path: "consumers[0].credentials.key-auth[0]"
        )
        KeyAuthPlugin.checkCredential(&reader)
        #expect(reader.errors.map(\.description) == [
            "plugins.json: consumers[0].credentials.key-auth[0].key: is required: a non-empty string",
            "plugins.json: consumers[0].credentials.key-auth[0].secret: unknown field; allowed fields are id, key",
        ])
    }

    @Test func keyInBodyIsRefusedAtLoad() {
        var reader = PluginConfigReader(
            config: .object([JSONMember(key: "key_in_body", value: .bool(true))]),
            file: "plugins.json",
            path: "plugins[0].config"
        )
        _ = KeyAuthConfiguration(from: &reader)
        #expect(reader.errors.count == 1)
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
