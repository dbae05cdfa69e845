import Testing

@testable import Gateway

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValueKeepingMemberOrder() throws {
        let value = try JSONParser.parse(#" { "b": [1, -2, 3.5, 1e3, true, false, null, "x"], "a": {} } "#)
        #expect(
            value
                == .object([
                    JSONMember(
                        key: "b",
                        value: .array([
                            .integer(1), .integer(-2), .number(3.5), .number(1000), .bool(true), .bool(false), .null,
                            .string("x"),
                        ])
                    ),
                    JSONMember(key: "a", value: .object([])),
                ])
        )
    }

    @Test func integersThatFitInt64StayIntegers() throws {
        #expect(try JSONParser.parse("9223372036854775807") == .integer(Int64.max))
        #expect(try JSONParser.parse("-9223372036854775808") == .integer(Int64.min))
        #expect(try JSONParser.parse("9223372036854775808") == .number(9_223_372_036_854_775_808))
        #expect(try JSONParser.parse("-0") == .integer(0))
        #expect(try JSONParser.parse("2.0") == .number(2))
    }

    @Test func decodesEveryEscapeIncludingSurrogatePairs() throws {
        let value = try JSONParser.parse(#""\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00 é""#)
        #expect(value == .string("\"\\/\u{08}\u{0C}\n\r\té😀 é"))
    }

    @Test func skipsAByteOrderMark() throws {
        #expect(try JSONParser.parse("\u{FEFF}[1]") == .array([.integer(1)]))
        #expect(throws: JSONSyntaxError(line: 1, column: 2, message: "expected a value, got 'x'")) {
            try JSONParser.parse("\u{FEFF}[x]")
        }
    }

    @Test func reportsLineAndColumnOfMalformedInput() {
        let text = """
            {
              "a": 1,
              "b": 2 "c"
            }
            """
        #expect(
            throws: JSONSyntaxError(
                line: 3, column: 10, message: "expected ',' or '}' after an object member, got '\"'")
        ) {
            try JSONParser.parse(text)
        }
    }

    @Test(arguments: [
        ("", 1, 1, "expected a value, got the end of the document"),
        ("[1,]", 1, 4, "expected a value, got ']'"),
        ("[1 2]", 1, 4, "expected ',' or ']' after an array element, got '2'"),
        ("{\"a\" 1}", 1, 6, "expected ':' after an object key, got '1'"),
        ("{1: 2}", 1, 2, "expected a string key, got '1'"),
        ("{} x", 1, 4, "expected the end of the document after the top-level value, got 'x'"),
        ("tru", 1, 4, "expected 'true', got the end of the document"),
        ("01", 1, 2, "expected the end of the document after the top-level value, got '1'"),
        ("-", 1, 2, "expected a digit, got the end of the document"),
        ("1.", 1, 3, "expected a digit after '.', got the end of the document"),
        ("1e+", 1, 4, "expected a digit in the exponent, got the end of the document"),
        ("\"abc", 1, 5, "expected '\"' to close the string, got the end of the document"),
        ("\"a\tb\"", 1, 3, "expected a control character in a string to be escaped, got U+0009"),
        ("\"\\x\"", 1, 2, "expected an escape sequence (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"),
        ("\"\\u12G4\"", 1, 6, "expected four hexadecimal digits after \\u, got 'G'"),
        ("\"\\ud800\"", 1, 2, "expected a low surrogate \\uDC00-\\uDFFF after a high surrogate"),
        ("\"\\ud800\\u0041\"", 1, 2, "expected a low surrogate \\uDC00-\\uDFFF after a high surrogate"),
        ("\"\\udc00\"", 1, 2, "expected a high surrogate before a low surrogate"),
        ("{\"é\": x}", 1, 7, "expected a value, got 'x'"),
        ("1e999", 1, 1, "expected a number within the range of a double, got 1e999"),
    ])
    func rejectsMalformedInput(text: String, line: Int, column: Int, message: String) {
        #expect(throws: JSONSyntaxError(line: line, column: column, message: message)) {
            try JSONParser.parse(text)
        }
    }

    @Test func rejectsDuplicateKeysAtTheSecondKey() {
        #expect(throws: JSONSyntaxError(line: 2, column: 3, message: "duplicate key \"a\" in an object")) {
            try JSONParser.parse("{\"a\": 1,\n  \"a\": 2}")
        }
    }

    @Test func rejectsDocumentsNestedTooDeeply() {
        let depth = JSONParser.maximumDepth
        #expect(throws: Never.self) {
            try JSONParser.parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        }
        let message = "expected at most \(depth) levels of nested arrays and objects"
        #expect(throws: JSONSyntaxError(line: 1, column: depth + 1, message: message)) {
            try JSONParser.parse(String(repeating: "[", count: depth + 1))
        }
    }
}
