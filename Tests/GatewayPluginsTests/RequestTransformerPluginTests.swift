import Gateway
import GatewayTesting
import NIOHTTP1
import Testing

@testable import GatewayPlugins

@Suite struct RequestTransformerPluginTests {
    private static func harness(_ config: String) throws -> PluginHarness {
        try PluginHarness(RequestTransformerPlugin.self, config: config)
    }

    @Test func defaultsChangeNothing() async throws {
        #expect(RequestTransformerPlugin.priority == 801)
        let run = try await Self.harness("{}").run(TestRequest(.GET, "/p?b=2&a=1", headers: ["X-A": "1"]))
        #expect(run.upstreamHeaderChanges.isEmpty)
        #expect(run.upstreamRequest?.query == "b=2&a=1")
    }

    @Test func headerEditsRunInKongsOrderEachSeeingTheOnesBefore() async throws {
        let harness = try Self.harness(
            """
            {"remove": {"headers": ["X-REMOVE", "x-gone"]},
             "rename": {"headers": ["x-old:X-New", "x-missing:x-nothing"]},
             "replace": {"headers": ["x-replace:new", "x-absent:nope"]},
             "add": {"headers": ["x-add:added", "x-exists:ignored", "x-new:ignored"]},
             "append": {"headers": ["x-append:two", "x-remove:back"]}}
            """
        )
        let request = TestRequest(
            headers: HTTPHeaders([
                ("x-remove", "1"), ("x-old", "a"), ("x-old", "b"), ("x-replace", "old"), ("x-replace", "older"),
                ("x-exists", "kept"), ("x-append", "one"),
            ])
        )
        let headers = try #require(try await harness.run(request).upstreamRequest?.headers)
        #expect(headers["x-remove"] == ["back"])
        #expect(headers["x-old"].isEmpty)
        #expect(headers["x-new"] == ["a", "b"])
        #expect(headers["x-replace"] == ["new"])
        #expect(!headers.contains(name: "x-absent") && !headers.contains(name: "x-nothing"))
        #expect(headers["x-add"] == ["added"])
        #expect(headers["x-exists"] == ["kept"])
        #expect(headers["x-append"] == ["one", "two"])
    }

    @Test func aRenameReplacesTheHeaderItRenamesTo() async throws {
        let harness = try Self.harness(#"{"rename": {"headers": ["x-client-id:x-consumer-ref"]}}"#)
        let request = TestRequest(headers: HTTPHeaders([("x-consumer-ref", "spoofed"), ("X-Client-ID", "42")]))
        let run = try await harness.run(request)
        #expect(run.upstreamRequest?.headers["x-consumer-ref"] == ["42"])
    }

    @Test func queryEditsRunInKongsOrderAndKeepWhatTheyDoNotTouch() async throws {
        let harness = try Self.harness(
            """
            {"remove": {"querystring": ["a"]},
             "rename": {"querystring": ["old:new"]},
             "replace": {"querystring": ["r:3", "missing:1"]},
             "add": {"querystring": ["r:5", "n:sp ace&more"]},
             "append": {"querystring": ["z:10"]}}
            """
        )
        let run = try await harness.run(TestRequest(.GET, "/p?a=1&old=keep%20me&r=1&flag&r=2&z=9&a"))
        #expect(run.upstreamRequest?.query == "new=keep%20me&r=3&flag&z=9&n=sp%20ace%26more&z=10")
    }

    @Test func queryNamesAreComparedDecoded() async throws {
        let harness = try Self.harness(#"{"remove": {"querystring": ["a b"]}, "rename": {"querystring": ["é:e"]}}"#)
        let run = try await harness.run(TestRequest(.GET, "/p?a+b=1&x=%41&%C3%A9=2"))
        #expect(run.upstreamRequest?.query == "x=%41&e=2")
    }

    @Test func aQueryNoEditChangedGoesUpstreamAsItCame() async throws {
        let harness = try Self.harness(
            #"{"remove": {"querystring": ["absent"]}, "replace": {"querystring": ["absent:1"]}}"#
        )
        let run = try await harness.run(TestRequest(.GET, "/p?b=%7e&&a=1"))
        #expect(run.upstreamRequest?.query == "b=%7e&&a=1")
    }

    @Test func queriesAreMadeAndEmptied() async throws {
        let adding = try await Self.harness(#"{"add": {"querystring": ["version:2"]}}"#).run(TestRequest(.GET, "/p"))
        #expect(adding.upstreamRequest?.query == "version=2")
        let removing = try await Self.harness(#"{"remove": {"querystring": ["token"]}}"#)
            .run(TestRequest(.GET, "/p?token=1"))
        #expect(removing.upstreamRequest?.query == nil)
    }

    @Test func entriesAreCheckedWithKongsMessages() {
        let config = """
            {"remove": {"headers": ["x ok"], "querystring": [":q"]},
             "rename": {"headers": ["x-a", "x-a:b c"], "querystring": ["q"]},
             "replace": {"headers": ["x-b:"], "querystring": ["q:"]},
             "add": {"headers": ["x-c:1", 7], "querystring": ["q:$(headers.host)"]},
             "append": {"headers": ["X_D:ok"], "querystring": ["x::y"]}}
            """
        #expect(configErrorLines(RequestTransformerPlugin.self, config) == [
            "plugins.json: plugins[0].config.add.headers[1]: expected a string, got 7",
            "plugins.json: plugins[0].config.add.querystring[0]: templates ($(...)) are not supported yet, got '$(headers.host)'",
            "plugins.json: plugins[0].config.remove.headers[0]: 'x ok' is not a valid header",
            "plugins.json: plugins[0].config.remove.querystring[0]: expected a name, got \":q\"",
            "plugins.json: plugins[0].config.rename.headers[0]: invalid value: x-a",
            "plugins.json: plugins[0].config.rename.headers[1]: 'b c' is not a valid header",
            "plugins.json: plugins[0].config.rename.querystring[0]: key 'q' has no value",
            "plugins.json: plugins[0].config.replace.headers[0]: key 'x-b' has no value",
            "plugins.json: plugins[0].config.replace.querystring[0]: key 'q' has no value",
        ])
    }

    @Test func whatIsNotSupportedIsRefusedAtLoad() {
        let config = """
            {"http_method": "POST",
             "remove": {"body": ["password"], "headers": ["Host"]},
             "replace": {"uri": "/v2", "headers": ["content-length:0"]},
             "append": {"headers": ["Transfer-Encoding:gzip"], "colour": []},
             "add": []}
            """
        #expect(configErrorLines(RequestTransformerPlugin.self, config) == [
            "plugins.json: plugins[0].config.add: expected an object, got an array",
            "plugins.json: plugins[0].config.append.colour: unknown field; allowed fields are body, headers, querystring",
            "plugins.json: plugins[0].config.append.headers[0]: 'Transfer-Encoding' cannot be changed: the gateway frames the body",
            "plugins.json: plugins[0].config.http_method: expected null (changing the method is not supported yet), got \"POST\"",
            "plugins.json: plugins[0].config.remove.body: expected an empty array (body transforms are not supported yet), got [\"password\"]",
            "plugins.json: plugins[0].config.remove.headers[0]: 'Host' cannot be changed: the upstream Host is the service's (or the client's, with preserve_host)",
            "plugins.json: plugins[0].config.replace.headers[0]: 'content-length' cannot be changed: the gateway frames the body",
            "plugins.json: plugins[0].config.replace.uri: expected null (replacing the path is not supported yet), got \"/v2\"",
        ])
    }
}
