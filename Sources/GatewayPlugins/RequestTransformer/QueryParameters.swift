/// A query string as the request transformer edits it: its `name=value` pairs in order, compared by name as Kong
/// decodes them (`%XX` escapes, `+` for a space). Pairs no edit touches stay as written, and a query no edit
/// changed comes back as it arrived.
///
/// Unlike Kong, which sorts the whole query by name and encodes it anew, edits stay in place: a renamed or replaced
/// parameter where it was, an added or appended one at the end.
struct QueryParameters {
    /// A `name=value` entry, as the transformer writes it: the name (to compare) and the pair, percent-encoded.
    struct Entry: Sendable {
        let name: String
        let pair: String
        /// `name` percent-encoded: what a rename writes.
        let encodedName: String

        init(name: String, value: String) {
            self.name = name
            self.encodedName = Self.encode(name)
            self.pair = self.encodedName + "=" + Self.encode(value)
        }

        /// Percent-encodes everything but the unreserved characters, as `ngx.encode_args` does.
        static func encode(_ text: String) -> String {
            let digits = Array("0123456789ABCDEF".utf8)
            var bytes: [UInt8] = []
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                    UInt8(ascii: "~"):
                    bytes.append(byte)
                default:
                    bytes += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private var pairs: [(name: String, text: Substring)]
    private let original: Substring?
    private var changed = false

    init(_ query: Substring?) {
        self.original = query
        self.pairs = (query ?? "").split(separator: "&").map { pair in
            (Self.decode(pair.prefix { $0 != "=" }), pair)
        }
    }

    /// The query after the edits: as it arrived when nothing changed, nil when nothing is left.
    var query: Substring? {
        guard self.changed else { return self.original }
        return self.pairs.isEmpty ? nil : Substring(self.pairs.map(\.text).joined(separator: "&"))
    }

    func contains(_ name: String) -> Bool {
        self.pairs.contains { $0.name == name }
    }

    mutating func remove(_ name: String) {
        guard self.contains(name) else { return }
        self.pairs.removeAll { $0.name == name }
        self.changed = true
    }

    /// Renames every `old` parameter to `new`, keeping its value as written; an existing `new` gives way.
    mutating func rename(_ old: String, to new: Entry) {
        guard old != new.name, self.contains(old) else { return }
        self.pairs.removeAll { $0.name == new.name }
        for index in self.pairs.indices where self.pairs[index].name == old {
            let text = self.pairs[index].text
            let value = text.firstIndex(of: "=").map { text[$0...] } ?? ""
            self.pairs[index] = (new.name, Substring(new.encodedName + value))
        }
        self.changed = true
    }

    /// Sets a present parameter to one value, where its first occurrence was.
    mutating func replace(with entry: Entry) {
        guard let first = self.pairs.firstIndex(where: { $0.name == entry.name }) else { return }
        self.pairs[first].text = Substring(entry.pair)
        var index = self.pairs.index(after: first)
        while index < self.pairs.endIndex {
            if self.pairs[index].name == entry.name { self.pairs.remove(at: index) } else { index += 1 }
        }
        self.changed = true
    }

    mutating func add(_ entry: Entry) {
        guard !self.contains(entry.name) else { return }
        self.append(entry)
    }

    /// Adds the parameter, last, whatever is there (a bare `name` stays, where Kong would drop it).
    mutating func append(_ entry: Entry) {
        self.pairs.append((entry.name, Substring(entry.pair)))
        self.changed = true
    }

    /// Percent-decoding with `+` as a space; a malformed escape stays as written.
    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var rest = text.utf8[...]
        while let byte = rest.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let high = Self.hexValue(rest.first),
                let low = Self.hexValue(rest.dropFirst().first)
            {
                bytes.append(high << 4 | low)
                rest = rest.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8?) -> UInt8? {
        guard let byte else { return nil }
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
