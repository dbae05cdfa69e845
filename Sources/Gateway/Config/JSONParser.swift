/// Malformed JSON: what was expected, and the 1-based line and column (in characters) where it went wrong.
struct JSONSyntaxError: Error, Hashable {
    var line: Int
    var column: Int
    var message: String
}

/// A strict RFC 8259 parser producing `JSONValue`: duplicate object keys are errors, integers that fit `Int64`
/// stay integers, and every error says where it is.
struct JSONParser {
    /// Deeper documents are rejected rather than risking the stack.
    static let maximumDepth = 512

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    private init(_ text: String) {
        let utf8 = Array(text.utf8)
        self.bytes = utf8.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(utf8.dropFirst(3)) : utf8
    }

    /// Parses one JSON document; only whitespace may follow it. A leading byte order mark is skipped.
    static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(text)
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.index < parser.bytes.count {
            throw parser.unexpected("expected the end of the document after the top-level value")
        }
        return value
    }

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        self.skipWhitespace()
        guard let byte = self.peek() else { throw self.error("expected a value, got the end of the document") }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard self.depth < Self.maximumDepth else {
                throw self.error("expected at most \(Self.maximumDepth) levels of nested arrays and objects")
            }
            self.depth += 1
            defer { self.depth -= 1 }
            return byte == UInt8(ascii: "{") ? try self.parseObject() : try self.parseArray()
        case UInt8(ascii: "\""): return .string(try self.parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try self.parseNumber()
        case UInt8(ascii: "t"): return try self.parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try self.parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try self.parseLiteral("null", .null)
        default: throw self.unexpected("expected a value")
        }
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        self.index += 1  // {
        var members: [JSONMember] = []
        var keys: Set<String> = []
        self.skipWhitespace()
        if self.consume(UInt8(ascii: "}")) { return .object(members) }
        while true {
            self.skipWhitespace()
            guard self.peek() == UInt8(ascii: "\"") else { throw self.unexpected("expected a string key") }
            let keyStart = self.index
            let key = try self.parseString()
            guard keys.insert(key).inserted else {
                throw self.error("duplicate key \"\(key)\" in an object", at: keyStart)
            }
            self.skipWhitespace()
            guard self.consume(UInt8(ascii: ":")) else { throw self.unexpected("expected ':' after an object key") }
            members.append(JSONMember(key: key, value: try self.parseValue()))
            self.skipWhitespace()
            if self.consume(UInt8(ascii: "}")) { return .object(members) }
            guard self.consume(UInt8(ascii: ",")) else {
                throw self.unexpected("expected ',' or '}' after an object member")
            }
        }
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        self.index += 1  // [
        var elements: [JSONValue] = []
        self.skipWhitespace()
        if self.consume(UInt8(ascii: "]")) { return .array(elements) }
        while true {
            elements.append(try self.parseValue())
            self.skipWhitespace()
            if self.consume(UInt8(ascii: "]")) { return .array(elements) }
            guard self.consume(UInt8(ascii: ",")) else {
                throw self.unexpected("expected ',' or ']' after an array element")
            }
        }
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        self.index += 1  // "
        var utf8: [UInt8] = []
        while let byte = self.peek() {
            switch byte {
            case UInt8(ascii: "\""):
                self.index += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                utf8.append(contentsOf: try self.parseEscape().utf8)
            case 0..<0x20:
                throw self.unexpected("expected a control character in a string to be escaped")
            default:
                utf8.append(byte)
                self.index += 1
            }
        }
        throw self.unexpected("expected '\"' to close the string")
    }

    private mutating func parseEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
        let start = self.index
        self.index += 1  // backslash
        guard let byte = self.peek() else { throw self.unexpected("expected an escape sequence") }
        self.index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return Unicode.Scalar(byte)
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"): break
        default: throw self.error("expected an escape sequence (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", at: start)
        }
        let unit = try self.parseHex4()
        switch unit {
        case 0xD800...0xDBFF:
            guard self.consume(UInt8(ascii: "\\")), self.consume(UInt8(ascii: "u")) else {
                throw self.error("expected a low surrogate \\uDC00-\\uDFFF after a high surrogate", at: start)
            }
            let low = try self.parseHex4()
            guard (0xDC00...0xDFFF).contains(low) else {
                throw self.error("expected a low surrogate \\uDC00-\\uDFFF after a high surrogate", at: start)
            }
            return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
        case 0xDC00...0xDFFF:
            throw self.error("expected a high surrogate before a low surrogate", at: start)
        default:
            return Unicode.Scalar(unit)!
        }
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = self.peek(), let digit = Self.hexDigit(byte) else {
                throw self.unexpected("expected four hexadecimal digits after \\u")
            }
            value = value << 4 | digit
            self.index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let start = self.index
        var isInteger = true
        _ = self.consume(UInt8(ascii: "-"))
        if !self.consume(UInt8(ascii: "0")) {
            guard self.consumeDigits() else { throw self.unexpected("expected a digit") }
        }
        if self.consume(UInt8(ascii: ".")) {
            isInteger = false
            guard self.consumeDigits() else { throw self.unexpected("expected a digit after '.'") }
        }
        if self.consume(UInt8(ascii: "e")) || self.consume(UInt8(ascii: "E")) {
            isInteger = false
            _ = self.consume(UInt8(ascii: "+")) || self.consume(UInt8(ascii: "-"))
            guard self.consumeDigits() else { throw self.unexpected("expected a digit in the exponent") }
        }
        let text = String(decoding: self.bytes[start..<self.index], as: UTF8.self)
        if isInteger, let integer = Int64(text) {
            return .integer(integer)
        }
        guard let number = Double(text), number.isFinite else {
            throw self.error("expected a number within the range of a double, got \(text)", at: start)
        }
        return .number(number)
    }

    private mutating func parseLiteral(_ literal: String, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        for byte in literal.utf8 {
            guard self.consume(byte) else { throw self.unexpected("expected '\(literal)'") }
        }
        return value
    }

    // MARK: Bytes

    private func peek() -> UInt8? {
        self.index < self.bytes.count ? self.bytes[self.index] : nil
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard self.peek() == byte else { return false }
        self.index += 1
        return true
    }

    /// Consumes one or more decimal digits; false when there is none.
    private mutating func consumeDigits() -> Bool {
        let start = self.index
        while let byte = self.peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            self.index += 1
        }
        return self.index > start
    }

    private mutating func skipWhitespace() {
        while let byte = self.peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            self.index += 1
        }
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    // MARK: Errors

    /// An error at the current byte, naming the character there instead.
    private func unexpected(_ expectation: String) -> JSONSyntaxError {
        guard self.index < self.bytes.count else { return self.error("\(expectation), got the end of the document") }
        let scalar = String(decoding: self.bytes[self.index...].prefix(4), as: UTF8.self).unicodeScalars.first!
        if scalar.value < 0x20 || scalar.value == 0x7F {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return self.error("\(expectation), got U+\(String(repeating: "0", count: 4 - hex.count))\(hex)")
        }
        return self.error("\(expectation), got '\(scalar)'")
    }

    private func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        let offset = offset ?? self.index
        let prefix = self.bytes[..<offset]
        let lineStart = prefix.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let line = prefix.count { $0 == 0x0A } + 1
        let column = String(decoding: self.bytes[lineStart..<offset], as: UTF8.self).count + 1
        return JSONSyntaxError(line: line, column: column, message: message)
    }
}
