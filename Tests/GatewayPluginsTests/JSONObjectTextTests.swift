import NIOCore
import Testing

@testable import GatewayPlugins

@Suite struct JSONObjectTextTests {
    private static func object(_ text: String) -> JSONObjectText? {
        JSONObjectText(Array(text.utf8))
    }

    private static func written(_ object: JSONObjectText) -> String {
        var buffer = ByteBuffer()
        object.write(to: &buffer)
        return String(buffer: buffer)
    }

    private static func bytes(_ text: String) -> ArraySlice<UInt8> {
        Array(text.utf8)[...]
    }

    @Test(arguments: [
        #"{}"#, #" { } "#, #"{"a":1}"#, #"{"a": -0.5e+3, "b": [true, false, null, "x\"\\\/\b\f\n\r\t\u00e9"], "c": {"d": {}}}"#,
        "{\"a\":\"é\"}",
    ])
    func validObjectsAreRead(text: String) {
        #expect(Self.object(text) != nil)
    }

    @Test(arguments: [
        "", "[]", "\"a\"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{a:1}", "{\"a\":1} x", "{\"a\":01}", "{\"a\":1.}",
        "{\"a\":.5}", "{\"a\":1e}", "{\"a\":tru}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"\u{01}\"}",
        "{\"a\":[1 2]}", "{\"a\":\"open}",
    ])
    func invalidTextIsRefused(text: String) {
        #expect(Self.object(text) == nil)
    }

    @Test func nestingPastTheLimitIsRefused() {
        let deep = "{\"a\":" + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}"
        #expect(Self.object(deep) == nil)
        let fine = "{\"a\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"
        #expect(Self.object(fine) != nil)
    }

    @Test func escapedNamesAreComparedDecoded() throws {
        var object = try #require(Self.object(#"{"\u0061": 1, "b\ud83d\ude00": 2}"#))
        #expect(object.members.map(\.name) == ["a", "b😀"])
        object.remove("a")
        #expect(Self.written(object) == #"{"b\ud83d\ude00":2}"#)
    }

    @Test func aRepeatedNameCountsByItsLastValue() throws {
        var object = try #require(Self.object(#"{"a": "x", "b": 0, "a": [1]}"#))
        object.append("a", key: Self.bytes(#""a""#), value: Self.bytes("2"))
        #expect(Self.written(object) == #"{"a":"x","b":0,"a":[1,2]}"#)
        object.remove("a")
        #expect(Self.written(object) == #"{"b":0}"#)
    }

    @Test func editsThatChangeNothingLeaveTheObjectUnchanged() throws {
        var object = try #require(Self.object(#"{"a": 1}"#))
        object.remove("b")
        object.rename("b", to: "c", key: Self.bytes(#""c""#))
        object.rename("a", to: "a", key: Self.bytes(#""a""#))
        object.replace("b", with: Self.bytes("2"))
        object.add("a", key: Self.bytes(#""a""#), value: Self.bytes("2"))
        #expect(!object.changed)
    }

    @Test func renamingOntoAnExistingNameReplacesIt() throws {
        var object = try #require(Self.object(#"{"a": 1, "b": 2, "c": 3}"#))
        object.rename("c", to: "a", key: Self.bytes(#""a""#))
        #expect(Self.written(object) == #"{"b":2,"a":3}"#)
    }
}
