/// A validating reader of JSON text (RFC 8259) that finds where values end without building them; only object
/// keys are decoded. Nesting deeper than `depthLimit` counts as invalid, so no body can exhaust the stack.
struct JSONScanner {
    static let depthLimit = 512

    let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { self.position == self.bytes.count }

    var next: UInt8? { self.position < self.bytes.count ? self.bytes[self.position] : nil }

    /// Space, line feed, carriage return or tab.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    mutating func skipWhitespace() {
        while let byte = self.next, Self.isWhitespace(byte) { self.position += 1 }
    }

    /// Takes `byte` when it comes next.
    mutating func take(_ byte: UInt8) -> Bool {
        guard self.next == byte else { return false }
        self.position += 1
        return true
    }

    /// Skips one value (no whitespace around it); false when it is not valid JSON.
    mutating func skipValue(depth: Int = 0) -> Bool {
        guard depth < Self.depthLimit, let byte = self.next else { return false }
        switch byte {
        case UInt8(ascii: "{"): return self.skipContainer(depth: depth, object: true)
        case UInt8(ascii: "["): return self.skipContainer(depth: depth, object: false)
        case UInt8(ascii: "\""): return self.string(decoding: false) != nil
        case UInt8(ascii: "t"): return self.literal("true")
        case UInt8(ascii: "f"): return self.literal("false")
        case UInt8(ascii: "n"): return self.literal("null")
        default: return self.skipNumber()
        }
    }

    /// Reads a string (the quotes included): its decoded text when `decoding`, else an empty one; nil when it is
    /// not a valid string.
    mutating func string(decoding: Bool) -> String? {
        guard self.take(UInt8(ascii: "\"")) else { return nil }
        var decoded: [UInt8] = []
        while let byte = self.next {
            self.position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return decoding ? String(decoding: decoded, as: UTF8.self) : ""
            case UInt8(ascii: "\\"):
                guard self.escape(into: &decoded, decoding: decoding) else { return nil }
            case 0..<0x20:
                return nil
            default:
                if decoding { decoded.append(byte) }
            }
        }
        return nil
    }

    private mutating func skipContainer(depth: Int, object: Bool) -> Bool {
        self.position += 1
        let close = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
        self.skipWhitespace()
        if self.take(close) { return true }
        repeat {
            self.skipWhitespace()
            if object {
                guard self.string(decoding: false) != nil else { return false }
                self.skipWhitespace()
                guard self.take(UInt8(ascii: ":")) else { return false }
                self.skipWhitespace()
            }
            guard self.skipValue(depth: depth + 1) else { return false }
            self.skipWhitespace()
        } while self.take(UInt8(ascii: ","))
        return self.take(close)
    }

    /// Reads an escape (after its backslash), adding what it stands for to `decoded` as UTF-8 when `decoding`.
    private mutating func escape(into decoded: inout [UInt8], decoding: Bool) -> Bool {
        guard let byte = self.next else { return false }
        self.position += 1
        let character: UInt8
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): character = byte
        case UInt8(ascii: "b"): character = 0x08
        case UInt8(ascii: "f"): character = 0x0C
        case UInt8(ascii: "n"): character = 0x0A
        case UInt8(ascii: "r"): character = 0x0D
        case UInt8(ascii: "t"): character = 0x09
        case UInt8(ascii: "u"):
            guard var unit = self.hexUnit() else { return false }
            if (0xD800..<0xDC00).contains(unit), self.bytes[self.position...].starts(with: "\\u".utf8) {
                let mark = self.position
                self.position += 2
                if let low = self.hexUnit(), (0xDC00..<0xE000).contains(low) {
                    unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    self.position = mark
                }
            }
            if decoding { decoded += Array(String(Unicode.Scalar(unit) ?? "\u{FFFD}").utf8) }
            return true
        default:
            return false
        }
        if decoding { decoded.append(character) }
        return true
    }

    /// Four hex digits.
    private mutating func hexUnit() -> UInt32? {
        guard self.position + 4 <= self.bytes.count else { return nil }
        var unit: UInt32 = 0
        for byte in self.bytes[self.position..<self.position + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            unit = unit << 4 | UInt32(digit)
        }
        self.position += 4
        return unit
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard self.position + count <= self.bytes.count else { return false }
        let matches = word.withUTF8Buffer { self.bytes[self.position..<self.position + count].elementsEqual($0) }
        if matches { self.position += count }
        return matches
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func skipNumber() -> Bool {
        _ = self.take(UInt8(ascii: "-"))
        if !self.take(UInt8(ascii: "0")) {
            guard let first = self.next, (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first) else { return false }
            self.skipDigits()
        }
        if self.take(UInt8(ascii: ".")) {
            guard self.skipDigits() else { return false }
        }
        if self.take(UInt8(ascii: "e")) || self.take(UInt8(ascii: "E")) {
            _ = self.take(UInt8(ascii: "+")) || self.take(UInt8(ascii: "-"))
            guard self.skipDigits() else { return false }
        }
        return true
    }

    /// Skips a run of digits; false when there is none.
    @discardableResult
    private mutating func skipDigits() -> Bool {
        let start = self.position
        while let byte = self.next, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { self.position += 1 }
        return self.position > start
    }
}
