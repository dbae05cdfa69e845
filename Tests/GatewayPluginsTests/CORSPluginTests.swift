import Gateway
import GatewayTesting
import NIOHTTP1
import Testing

@testable import GatewayPlugins

@Suite struct CORSPluginTests {
    private static func harness(_ config: String = "{}") throws -> PluginHarness {
        try PluginHarness(CORSPlugin.self, config: config)
    }

    private static let allMethods = "GET,HEAD,PUT,PATCH,POST,DELETE,OPTIONS,TRACE,CONNECT"

    private static func preflight(
        origin: String = "https://app.example.com",
        _ extra: [(String, String)] = []
    ) -> TestRequest {
        let headers = [("Origin", origin), ("Access-Control-Request-Method", "POST")] + extra
        return TestRequest(.OPTIONS, "/orders", headers: HTTPHeaders(headers))
    }

    private static func get(origin: String?) -> TestRequest {
        TestRequest(.GET, "/orders", headers: HTTPHeaders(origin.map { [("Origin", $0)] } ?? []))
    }

    @Test func defaultsAreKongs() {
        var reader = PluginConfigReader(config: .object([]), file: "plugins.json", path: "plugins[0].config")
        let configuration = CORSConfiguration(from: &reader)
        #expect(reader.errors.isEmpty)
        #expect(configuration.origins.isEmpty)
        #expect(configuration.methods.joined(separator: ",") == Self.allMethods)
        #expect(configuration.maxAge == nil)
        #expect(!configuration.credentials && !configuration.privateNetwork && !configuration.preflightContinue)
        #expect(configuration.allowOriginAbsent)
        #expect(CORSPlugin.priority == 2000)
    }

    @Test func preflightIsAnsweredWithKongsHeaders() async throws {
        let request = Self.preflight([("Access-Control-Request-Headers", "X-Token, Content-Type")])
        let run = try await Self.harness().run(request)
        #expect(run.wasAnswered)
        #expect(run.response.status == .ok)
        #expect(run.response.body == "")
        #expect(run.response.headers.first(name: "Access-Control-Allow-Origin") == "*")
        #expect(run.response.headers.first(name: "Access-Control-Allow-Methods") == Self.allMethods)
        #expect(run.response.headers.first(name: "Access-Control-Allow-Headers") == "X-Token, Content-Type")
        #expect(!run.response.headers.contains(name: "Access-Control-Max-Age"))
        #expect(!run.response.headers.contains(name: "Access-Control-Allow-Credentials"))
        #expect(!run.response.headers.contains(name: "Vary"))
    }

    @Test func preflightSaysWhatTheConfigurationSays() async throws {
        let harness = try Self.harness(
            """
            {"origins": ["https://app.example.com"], "methods": ["GET", "POST"], "headers": ["X-Token", "Accept"],
             "max_age": 3600, "credentials": true, "private_network": true}
            """
        )
        let request = Self.preflight([
            ("Access-Control-Request-Headers", "X-Other"), ("Access-Control-Request-Private-Network", "true"),
        ])
        let run = try await harness.run(request)
        let headers = run.response.headers
        #expect(run.response.status == .ok)
        #expect(headers.first(name: "Access-Control-Allow-Origin") == "https://app.example.com")
        #expect(headers[canonicalForm: "Vary"] == ["Origin"])
        #expect(headers.first(name: "Access-Control-Allow-Credentials") == "true")
        #expect(headers.first(name: "Access-Control-Allow-Methods") == "GET,POST")
        #expect(headers.first(name: "Access-Control-Allow-Headers") == "X-Token,Accept")
        #expect(headers.first(name: "Access-Control-Max-Age") == "3600")
        #expect(headers.first(name: "Access-Control-Allow-Private-Network") == "true")
        #expect(!headers.contains(name: "Access-Control-Expose-Headers"))
    }

    @Test func fractionalMaxAgeIsWrittenAsKongWritesIt() async throws {
        let run = try await Self.harness(#"{"max_age": 1.5}"#).run(Self.preflight())
        #expect(run.response.headers.first(name: "Access-Control-Max-Age") == "1.5")
    }

    @Test func preflightWithoutAskedHeadersAllowsNone() async throws {
        let run = try await Self.harness().run(Self.preflight())
        #expect(!run.response.headers.contains(name: "Access-Control-Allow-Headers"))
        #expect(!run.response.headers.contains(name: "Access-Control-Allow-Private-Network"))
    }

    @Test func preflightContinueGoesUpstreamWithoutCORSHeaders() async throws {
        let run = try await Self.harness(#"{"preflight_continue": true}"#).run(Self.preflight())
        #expect(!run.wasAnswered)
        #expect(run.clientHeaderChanges.isEmpty)
    }

    @Test func optionsWithoutRequestMethodIsNoPreflight() async throws {
        let request = TestRequest(.OPTIONS, "/orders", headers: ["Origin": "https://app.example.com"])
        let run = try await Self.harness().run(request)
        #expect(!run.wasAnswered)
        #expect(run.clientHeaderChanges.addedValue("Access-Control-Allow-Origin") == "*")
    }

    @Test func anyOriginIsAStarWithoutVary() async throws {
        for origins in ["[]", #"["*"]"#] {
            let run = try await Self.harness(#"{"origins": \#(origins), "exposed_headers": ["X-Total", "X-Page"]}"#)
                .run(Self.get(origin: "https://app.example.com"))
            #expect(run.clientHeaderChanges.added == [
                HeaderChanges.Field("Access-Control-Allow-Origin", "*"),
                HeaderChanges.Field("Access-Control-Expose-Headers", "X-Total,X-Page"),
            ])
        }
    }

    @Test func credentialsWithAnyOriginEchoTheOrigin() async throws {
        let harness = try Self.harness(#"{"credentials": true}"#)
        let withOrigin = try await harness.run(Self.get(origin: "https://app.example.com"))
        #expect(withOrigin.response.headers.first(name: "Access-Control-Allow-Origin") == "https://app.example.com")
        #expect(withOrigin.response.headers.first(name: "Access-Control-Allow-Credentials") == "true")
        #expect(withOrigin.response.headers[canonicalForm: "Vary"] == ["Origin"])
        let without = try await harness.run(Self.get(origin: nil))
        #expect(without.clientHeaderChanges.added == [HeaderChanges.Field("Access-Control-Allow-Origin", "*")])
    }

    @Test func onePlainOriginIsSentWhateverTheRequestsOrigin() async throws {
        let harness = try Self.harness(#"{"origins": ["https://app.example.com"]}"#)
        for origin in ["https://app.example.com", "https://evil.example.net", nil] {
            let run = try await harness.run(Self.get(origin: origin))
            #expect(run.clientHeaderChanges.added == [
                HeaderChanges.Field("Vary", "Origin"),
                HeaderChanges.Field("Access-Control-Allow-Origin", "https://app.example.com"),
            ])
        }
    }

    @Test func listedOriginsAreMatchedNormalisedAndByRegex() async throws {
        let harness = try Self.harness(
            #"""
            {"origins": ["https://app.example.com", "http://localhost:8080", "(.*)\\.example\\.org",
                         "^https://.*\\.example\\.net:8443$"]}
            """#
        )
        let allowed = [
            ("https://app.example.com", "https://app.example.com"),
            ("https://app.example.com:443", "https://app.example.com"),
            ("http://localhost:8080", "http://localhost:8080"),
            ("https://shop.example.org", "https://shop.example.org"),
            ("http://shop.example.org:8000", "http://shop.example.org:8000"),
            ("https://api.example.net:8443", "https://api.example.net:8443"),
        ]
        for (origin, answer) in allowed {
            let run = try await harness.run(Self.get(origin: origin))
            #expect(run.response.headers.first(name: "Access-Control-Allow-Origin") == answer, "\(origin)")
            #expect(run.response.headers[canonicalForm: "Vary"] == ["Origin"])
        }
        let refused = [
            "https://app.example.com:8443", "http://localhost", "https://example.org", "https://api.example.net", "null",
        ]
        for origin in refused {
            let run = try await harness.run(Self.get(origin: origin))
            #expect(!run.response.headers.contains(name: "Access-Control-Allow-Origin"), "\(origin)")
            #expect(run.response.headers[canonicalForm: "Vary"] == ["Origin"])
        }
    }

    @Test func unmatchedOriginRemovesTheUpstreamsAllowOrigin() async throws {
        let harness = try Self.harness(#"{"origins": ["https://a.example.com", "https://b.example.com"]}"#)
        let upstream = TestResponse(headers: ["Access-Control-Allow-Origin": "*", "Vary": "Accept-Encoding"])
        let run = try await harness.run(Self.get(origin: "https://c.example.com"), upstream: upstream)
        #expect(run.clientHeaderChanges.removed == [HeaderChanges.Field("Access-Control-Allow-Origin", "*")])
        #expect(run.response.headers[canonicalForm: "Vary"] == ["Accept-Encoding", "Origin"])
    }

    @Test func aStarInAListAllowsEveryOrigin() async throws {
        let harness = try Self.harness(#"{"origins": ["https://a.example.com", "*"]}"#)
        let run = try await harness.run(Self.get(origin: "https://z.example.com"))
        #expect(run.response.headers.first(name: "Access-Control-Allow-Origin") == "*")
        let without = try await harness.run(Self.get(origin: nil))
        #expect(!without.response.headers.contains(name: "Access-Control-Allow-Origin"))
    }

    @Test func requestsWithoutOriginAreLeftAloneWhenAsked() async throws {
        let run = try await Self.harness(#"{"allow_origin_absent": false}"#).run(Self.get(origin: nil))
        #expect(run.clientHeaderChanges.isEmpty)
        let withOrigin = try await Self.harness(#"{"allow_origin_absent": false}"#)
            .run(Self.get(origin: "https://a.example.com"))
        #expect(withOrigin.clientHeaderChanges.addedValue("Access-Control-Allow-Origin") == "*")
    }

    @Test func repliesOfOtherPluginsGetTheHeadersToo() async throws {
        let harness = try PluginHarness(
            chain: [
                (KeyAuthPlugin.self, "{}"),
                (CORSPlugin.self, #"{"origins": ["https://app.example.com", "https://admin.example.com"], "credentials": true}"#),
            ]
        )
        let run = try await harness.run(Self.get(origin: "https://admin.example.com"))
        #expect(run.response.status == .unauthorized)
        #expect(run.response.headers.first(name: "Access-Control-Allow-Origin") == "https://admin.example.com")
        #expect(run.response.headers.first(name: "Access-Control-Allow-Credentials") == "true")
        // The preflight runs before key-auth (priority 2000 over 1250), so it needs no key.
        let preflight = try await harness.run(Self.preflight(origin: "https://admin.example.com"))
        #expect(preflight.response.status == .ok)
    }

    @Test func badFieldsAreReportedWithTheirPaths() {
        let config = #"{"origins": ["https://ok.example.com", "(", "", "*.example.com"], "methods": ["GET", "FETCH"], "max_age": "1h", "credentials": "yes", "colour": 1}"#
        #expect(configErrorLines(CORSPlugin.self, config) == [
            "plugins.json: plugins[0].config.colour: unknown field; allowed fields are allow_origin_absent, credentials, exposed_headers, headers, max_age, methods, origins, preflight_continue, private_network",
            "plugins.json: plugins[0].config.credentials: expected true or false, got \"yes\"",
            "plugins.json: plugins[0].config.max_age: expected a number, got \"1h\"",
            "plugins.json: plugins[0].config.methods[1]: expected one of \"GET\", \"HEAD\", \"PUT\", \"PATCH\", \"POST\", \"DELETE\", \"OPTIONS\", \"TRACE\", \"CONNECT\", got \"FETCH\"",
            "plugins.json: plugins[0].config.origins[1]: '(' is not a valid regex",
            "plugins.json: plugins[0].config.origins[2]: expected an origin or a regex, got \"\"",
            "plugins.json: plugins[0].config.origins[3]: '*.example.com' is not a valid regex",
        ])
    }
}
