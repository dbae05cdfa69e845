import Foundation
import Gateway
import GatewayTesting
import NIOHTTP1
import Testing

@testable import GatewayPlugins

@Suite struct ResponseTransformerPluginTests {
    private static func harness(_ config: String) throws -> PluginHarness {
        try PluginHarness(ResponseTransformerPlugin.self, config: config)
    }

    private static func json(_ body: String, contentType: String = "application/json") -> TestResponse {
        TestResponse(headers: ["Content-Type": contentType, "Content-Length": String(body.utf8.count)], body: body)
    }

    @Test func defaultsChangeNothing() async throws {
        #expect(ResponseTransformerPlugin.priority == 800)
        let run = try await Self.harness("{}").run(TestRequest(), upstream: Self.json(#"{"a": 1}"#))
        #expect(run.clientHeaderChanges.isEmpty)
        #expect(run.response.body == #"{"a": 1}"#)
    }

    @Test func headerEditsDecideFromTheHeadersAsTheyCame() async throws {
        let harness = try Self.harness(
            """
            {"remove": {"headers": ["X-Remove", "x-both"]},
             "rename": {"headers": ["x-old:x-new", "x-missing:x-nothing"]},
             "replace": {"headers": ["x-both:again", "x-absent:no"]},
             "add": {"headers": ["x-add:yes", "x-upstream:ignored", "x-new:added"]},
             "append": {"headers": ["x-append:2", "x-remove:back"]}}
            """
        )
        let upstream = TestResponse(
            headers: HTTPHeaders([
                ("x-remove", "1"), ("x-both", "1"), ("x-old", "a"), ("x-old", "b"), ("x-upstream", "kept"),
                ("x-append", "1"),
            ])
        )
        let headers = try await harness.run(TestRequest(), upstream: upstream).response.headers
        #expect(headers["x-remove"] == ["back"])
        // Removed, then set again: `replace` saw it in the upstream's headers.
        #expect(headers["x-both"] == ["again"])
        #expect(headers["x-old"].isEmpty)
        // Renamed, then set by `add`: the upstream's headers had no x-new.
        #expect(headers["x-new"] == ["added"])
        #expect(!headers.contains(name: "x-absent") && !headers.contains(name: "x-nothing"))
        #expect(headers["x-add"] == ["yes"])
        #expect(headers["x-upstream"] == ["kept"])
        #expect(headers["x-append"] == ["1", "2"])
    }

    @Test func renamedHeadersKeepEveryValue() async throws {
        let harness = try Self.harness(#"{"rename": {"headers": ["x-old:x-new"]}}"#)
        let upstream = TestResponse(headers: HTTPHeaders([("X-Old", "a"), ("x-new", "gone"), ("x-old", "b")]))
        let headers = try await harness.run(TestRequest(), upstream: upstream).response.headers
        #expect(headers["x-new"] == ["a", "b"])
        #expect(!headers.contains(name: "x-old"))
    }

    @Test func jsonEditsRunInKongsOrderAndKeepMemberOrder() async throws {
        let harness = try Self.harness(
            """
            {"remove": {"json": ["secret"]},
             "rename": {"json": ["old:new"]},
             "replace": {"json": ["id:8", "absent:1"], "json_types": ["number"]},
             "add": {"json": ["added:yes", "id:ignored"]},
             "append": {"json": ["tags:b", "list:x", "n:2", "fresh:1"]}}
            """
        )
        let body = #"{"id": 7, "secret": "s", "old": {"a": [1, 2]}, "tags": "a", "list": [ ], "n": 1, "flag": false}"#
        let run = try await harness.run(TestRequest(), upstream: Self.json(body))
        let expected = #"{"id":8,"new":{"a": [1, 2]},"tags":["a","b"],"list":[ "x"],"n":["2"],"flag":false,"added":"yes","fresh":["1"]}"#
        #expect(run.response.body == expected)
        #expect(run.response.headers.first(name: "content-length") == String(expected.utf8.count))
        #expect(try JSONSerialization.jsonObject(with: Data(run.response.body.utf8)) is [String: Any])
    }

    @Test func jsonTypesMakeBooleansNumbersAndStrings() async throws {
        let harness = try Self.harness(
            #"{"add": {"json": ["b:true", "c:yes", "num: 1.50", "big:1e20", "s:10", "q:say \"hi\"\n"], "json_types": ["boolean", "boolean", "number", "number"]}}"#
        )
        let run = try await harness.run(TestRequest(), upstream: Self.json("{}"))
        #expect(run.response.body == #"{"b":true,"c":false,"num":1.5,"big":1e+20,"s":"10","q":"say \"hi\"\n"}"#)
    }

    @Test func appendingToAnArrayKeepsItsElements() async throws {
        let harness = try Self.harness(#"{"append": {"json": ["ids:3"], "json_types": ["number"]}}"#)
        let run = try await harness.run(TestRequest(), upstream: Self.json(#"{"ids": [1, 2]}"#))
        #expect(run.response.body == #"{"ids":[1, 2,3]}"#)
    }

    @Test func onlyJSONBodiesAreEdited() async throws {
        let harness = try Self.harness(#"{"add": {"json": ["added:1"]}, "remove": {"json": ["a"]}}"#)
        let cases: [(TestResponse, String)] = [
            (Self.json(#"{"a": 1}"#, contentType: "text/plain"), #"{"a": 1}"#),
            (TestResponse(body: #"{"a": 1}"#), #"{"a": 1}"#),
            (Self.json(#"{"a": 1"#), #"{"a": 1"#),
            (Self.json(#"[{"a": 1}]"#), #"[{"a": 1}]"#),
            (Self.json(#"{"a": 01}"#), #"{"a": 01}"#),
            (Self.json(#"{"a": 1}"#, contentType: "application/problem+json; charset=utf-8"), #"{"added":"1"}"#),
        ]
        for (upstream, body) in cases {
            #expect(try await harness.run(TestRequest(), upstream: upstream).response.body == body)
        }
        var compressed = Self.json(#"{"a": 1}"#)
        compressed.headers.add(name: "Content-Encoding", value: "gzip")
        #expect(try await harness.run(TestRequest(), upstream: compressed).response.body == #"{"a": 1}"#)
    }

    @Test(arguments: [
        ("application/json", true), ("Application/JSON", true), ("application/json; charset=utf-8", true),
        ("application/vnd.api+json", true), ("text/html, application/json", true),
        (#"application/json ; q="a;b""#, true), ("application/json;", false), ("application/jsonx", false),
        ("text/json", false), ("*/*", false), ("application/json; charset", false), ("", false),
    ])
    func jsonMediaTypesAreKongs(contentType: String, isJSON: Bool) {
        #expect(JSONMediaType.matches(contentType) == isJSON)
    }

    @Test func repliesOfOtherPluginsAreEditedToo() async throws {
        let harness = try PluginHarness(
            chain: [
                (RequestSizeLimitingPlugin.self, #"{"allowed_payload_size": 1, "size_unit": "bytes"}"#),
                (
                    ResponseTransformerPlugin.self,
                    #"{"add": {"json": ["code:413"], "json_types": ["number"], "headers": ["x-limited:yes"]}}"#
                ),
            ]
        )
        let run = try await harness.run(TestRequest(.POST, "/", headers: ["Content-Length": "2"]))
        #expect(run.response.status == .payloadTooLarge)
        #expect(run.response.body == #"{"message":"Request size limit exceeded","code":413}"#)
        #expect(run.response.headers.first(name: "x-limited") == "yes")
    }

    @Test func entriesAreCheckedWithKongsMessages() {
        let config = """
            {"remove": {"json": [""], "headers": ["bad header"]},
             "rename": {"json": ["a"], "headers": ["x-a:x b"]},
             "replace": {"json": ["a:"], "json_types": ["integer"]},
             "add": {"json": ["n:ten"], "json_types": ["number"], "headers": ["Content-Length:1"]},
             "append": {"headers": ["x-c"], "querystring": []}}
            """
        #expect(configErrorLines(ResponseTransformerPlugin.self, config) == [
            "plugins.json: plugins[0].config.add.headers[0]: 'Content-Length' cannot be changed: the gateway frames the body",
            "plugins.json: plugins[0].config.add.json[0]: expected a number (json_types[0] is \"number\"), got \"ten\"",
            "plugins.json: plugins[0].config.append.headers[0]: invalid value: x-c",
            "plugins.json: plugins[0].config.append.querystring: unknown field; allowed fields are headers, json, json_types",
            "plugins.json: plugins[0].config.remove.headers[0]: 'bad header' is not a valid header",
            "plugins.json: plugins[0].config.remove.json[0]: expected a name, got \"\"",
            "plugins.json: plugins[0].config.rename.headers[0]: 'x b' is not a valid header",
            "plugins.json: plugins[0].config.rename.json[0]: invalid value: a",
            "plugins.json: plugins[0].config.replace.json[0]: key 'a' has no value",
            "plugins.json: plugins[0].config.replace.json_types[0]: expected one of \"boolean\", \"number\", \"string\", got \"integer\"",
        ])
    }
}
