/// Reading and editing `name=value&...` query strings for plugins; what is not touched stays byte for byte.
public enum QueryString {
    /// The values of the parameter `name`, percent-decoded (`+` as a space), in order; `""` for a bare `name`.
    public static func values(of name: String, in query: Substring) -> [String] {
        query.split(separator: "&").compactMap { pair in
            let (key, value) = Self.split(pair)
            return Self.decode(key) == name ? Self.decode(value ?? "") : nil
        }
    }

    /// The query without any parameter `name`; nil when nothing is left.
    public static func removing(_ name: String, from query: Substring) -> Substring? {
        let kept = query.split(separator: "&", omittingEmptySubsequences: false).filter { pair in
            Self.decode(Self.split(pair).key) != name
        }
        return kept.isEmpty ? nil : Substring(kept.joined(separator: "&"))
    }

    private static func split(_ pair: Substring) -> (key: Substring, value: Substring?) {
        guard let equals = pair.firstIndex(of: "=") else { return (pair, nil) }
        return (pair[..<equals], pair[pair.index(after: equals)...])
    }

    /// Percent-decoding with `+` as a space; a malformed escape stays as written.
    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
