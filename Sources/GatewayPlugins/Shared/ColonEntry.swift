/// One entry of Kong's transformer lists, `"name:value"` (or `"old:new"` for renames): the name runs to the first
/// colon and the value starts after the colons that follow it, so `"x-a::b"` is `x-a` and `b`. An entry without
/// a colon is a name with an empty value.
public struct ColonEntry: Sendable, Equatable {
    public var name: String
    /// The value, or the new name of a rename.
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// The entry `text`, or nil when its name is empty (`""`, `":value"`).
    init?(parsing text: String) {
        guard let colon = text.firstIndex(of: ":") else {
            guard !text.isEmpty else { return nil }
            self.init(name: text, value: "")
            return
        }
        guard colon != text.startIndex else { return nil }
        let value = text[colon...].drop { $0 == ":" }
        self.init(name: String(text[..<colon]), value: String(value))
    }

    /// Whether `name` is a header name as Kong's transformers accept it: `A-Z`, `a-z`, `0-9`, `-` and `_`.
    static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                return true
            default:
                return false
            }
        }
    }
}
