import Foundation
import Testing

@testable import JWT

@Suite struct JSONValueTests {
    @Test func decodesEveryKind() throws {
        let text = #"{"n":null,"b":true,"i":3,"d":1.5,"s":"x","a":[1,"y"],"o":{"k":false}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        let expected: JSONValue = ["n": nil, "b": true, "i": 3, "d": 1.5, "s": "x", "a": [1, "y"], "o": ["k": false]]
        #expect(value == expected)
    }

    @Test func accessorsReturnNilForOtherKinds() {
        let value: JSONValue = "text"
        #expect(value.stringValue == "text")
        #expect(value.numberValue == nil)
        #expect(JSONValue.bool(false).boolValue == false)
        #expect(JSONValue.number(1).boolValue == nil)
        #expect(JSONValue.array([]).arrayValue == [])
        #expect(JSONValue.object([:]).objectValue == [:])
    }
}
