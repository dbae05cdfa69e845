import Testing

@testable import JWT

@Suite struct JSONTextTests {
    @Test func serializesCompactlyWithIntegersAndSortedKeys() {
        let value: JSONValue = ["exp": 1_300_819_380, "f": 0.5, "b": true, "n": nil, "a": ["x", 2]]
        #expect(JSONText.serialize(value) == #"{"a":["x",2],"b":true,"exp":1300819380,"f":0.5,"n":null}"#)
    }

    @Test func escapesStrings() {
        #expect(JSONText.serialize("a\"b\\c\nd\u{1}é") == #""a\"b\\c\nd\u0001é""#)
    }

    @Test func parsesObjectsOnly() {
        #expect(JSONText.parseObject(Array(#"{"a":1}"#.utf8)) == ["a": 1])
        #expect(JSONText.parseObject(Array("[1]".utf8)) == nil)
        #expect(JSONText.parseObject(Array("{".utf8)) == nil)
    }

    @Test func serializedTextParsesBack() {
        let value: [String: JSONValue] = ["s": "a\"\n\u{7}", "o": ["x": [1.25, nil]]]
        #expect(JSONText.parseObject(Array(JSONText.serialize(.object(value)).utf8)) == value)
    }
}

@Suite struct JSONTextKindsTests {
    @Test func booleansStayBooleansAndZeroOneStayNumbers() {
        let text = #"{"t":true,"f":false,"one":1,"zero":0,"big":2000000000,"half":0.5,"n":null,"a":[true,1],"o":{"x":"y"}}"#
        let expected: [String: JSONValue] = [
            "t": true, "f": false, "one": 1, "zero": 0, "big": 2_000_000_000, "half": 0.5, "n": nil, "a": [true, 1],
            "o": ["x": "y"],
        ]
        #expect(JSONText.parseObject(Array(text.utf8)) == expected)
    }
}
