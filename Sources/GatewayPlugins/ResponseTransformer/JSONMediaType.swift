/// Kong's check that a response is JSON (`kong.tools.mime_type`): one of the comma-separated media types of
/// `Content-Type` parses as `type/subtype` with well-formed parameters and is `application/json` or
/// `application/<anything>+json`, case-insensitively.
enum JSONMediaType {
    static func matches(_ contentType: String) -> Bool {
        contentType.utf8.split(separator: UInt8(ascii: ",")).contains { Self.isJSON(Self.trimmed($0)) }
    }

    private static func isJSON(_ mediaType: Substring.UTF8View) -> Bool {
        var rest = mediaType
        guard let type = Self.token(&rest), rest.popFirst() == UInt8(ascii: "/"), let subtype = Self.token(&rest),
            Self.parameters(&rest), rest.isEmpty
        else { return false }
        let subtypeText = String(decoding: subtype, as: UTF8.self).lowercased()
        return String(decoding: type, as: UTF8.self).lowercased() == "application"
            && (subtypeText == "json" || subtypeText.hasSuffix("+json"))
    }

    /// `(spacing ";" spacing attribute "=" value)*`, where a value is a token or a quoted string.
    private static func parameters(_ rest: inout Substring.UTF8View) -> Bool {
        while !rest.isEmpty {
            Self.skipSpacing(&rest)
            guard rest.popFirst() == UInt8(ascii: ";") else { return false }
            Self.skipSpacing(&rest)
            guard Self.token(&rest) != nil, rest.popFirst() == UInt8(ascii: "=") else { return false }
            if rest.first == UInt8(ascii: "\"") {
                rest.removeFirst()
                guard let close = rest.firstIndex(where: { $0 == UInt8(ascii: "\"") || Self.isControl($0) }),
                    rest[close] == UInt8(ascii: "\"")
                else { return false }
                rest = rest[rest.index(after: close)...]
            } else if Self.token(&rest) == nil {
                return false
            }
        }
        return true
    }

    /// The longest run of token characters at the start of `rest`, taken off it; nil when there is none.
    private static func token(_ rest: inout Substring.UTF8View) -> Substring.UTF8View? {
        let end = rest.firstIndex { !Self.isTokenByte($0) } ?? rest.endIndex
        guard end != rest.startIndex else { return nil }
        let token = rest[..<end]
        rest = rest[end...]
        return token
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        guard byte > 32, byte < 127 else { return false }
        return !"()<>@,;:\\\"/[]?={}".utf8.contains(byte)
    }

    private static func isControl(_ byte: UInt8) -> Bool {
        byte < 32 || byte == 127
    }

    private static func skipSpacing(_ rest: inout Substring.UTF8View) {
        while rest.first == UInt8(ascii: " ") || rest.first == UInt8(ascii: "\t") { rest.removeFirst() }
    }

    private static func trimmed(_ bytes: Substring.UTF8View) -> Substring.UTF8View {
        let isSpace: (UInt8) -> Bool = { $0 == 32 || ($0 >= 9 && $0 <= 13) }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return bytes[bytes.endIndex...] }
        return bytes[first...last]
    }
}
