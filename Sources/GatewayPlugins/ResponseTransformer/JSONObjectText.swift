import NIOCore

/// A JSON object's members, each kept as the bytes it was written with, for the response transformer's edits:
/// what they do not touch keeps its order and its form, and an object no edit changed is never written anew.
/// A name written twice stays so, and edits read it as decoders do: the last value counts.
struct JSONObjectText {
    struct Member {
        /// The decoded name, to compare.
        var name: String
        /// The name as written, quotes included.
        var key: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
    }

    private(set) var members: [Member] = []
    /// Whether an edit changed the object.
    private(set) var changed = false

    /// The object `bytes` holds (whitespace around it allowed); nil when they are not exactly one valid object.
    init?(_ bytes: [UInt8]) {
        var scanner = JSONScanner(bytes)
        scanner.skipWhitespace()
        guard scanner.take(UInt8(ascii: "{")) else { return nil }
        scanner.skipWhitespace()
        if !scanner.take(UInt8(ascii: "}")) {
            repeat {
                scanner.skipWhitespace()
                let keyStart = scanner.position
                guard let name = scanner.string(decoding: true) else { return nil }
                let key = bytes[keyStart..<scanner.position]
                scanner.skipWhitespace()
                guard scanner.take(UInt8(ascii: ":")) else { return nil }
                scanner.skipWhitespace()
                let valueStart = scanner.position
                guard scanner.skipValue(depth: 1) else { return nil }
                let value = bytes[valueStart..<scanner.position]
                self.members.append(Member(name: name, key: key, value: value))
                scanner.skipWhitespace()
            } while scanner.take(UInt8(ascii: ","))
            guard scanner.take(UInt8(ascii: "}")) else { return nil }
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { return nil }
    }

    /// The member `name`: its last occurrence.
    func index(of name: String) -> Int? {
        self.members.lastIndex { $0.name == name }
    }

    mutating func remove(_ name: String) {
        guard self.index(of: name) != nil else { return }
        self.members.removeAll { $0.name == name }
        self.changed = true
    }

    /// Gives the member `name` the name `newName` (written as `newKey`), in its place; a member already called
    /// `newName` gives way.
    mutating func rename(_ name: String, to newName: String, key newKey: ArraySlice<UInt8>) {
        guard name != newName, self.index(of: name) != nil else { return }
        self.members.removeAll { $0.name == newName }
        for index in self.members.indices where self.members[index].name == name {
            self.members[index].name = newName
            self.members[index].key = newKey
        }
        self.changed = true
    }

    /// Sets the member `name`'s value to `value` (JSON text) when the member exists.
    mutating func replace(_ name: String, with value: ArraySlice<UInt8>) {
        guard self.index(of: name) != nil else { return }
        for index in self.members.indices where self.members[index].name == name { self.members[index].value = value }
        self.changed = true
    }

    /// Adds the member `name` (written as `key`), last, when there is none.
    mutating func add(_ name: String, key: ArraySlice<UInt8>, value: ArraySlice<UInt8>) {
        guard self.index(of: name) == nil else { return }
        self.members.append(Member(name: name, key: key, value: value))
        self.changed = true
    }

    /// Adds `value` to the member `name` as Kong does: a string becomes an array of it and `value`, an array gets
    /// `value` at its end, and anything else (a missing member included) becomes `[value]`.
    mutating func append(_ name: String, key: ArraySlice<UInt8>, value: ArraySlice<UInt8>) {
        guard let index = self.index(of: name) else {
            self.members.append(Member(name: name, key: key, value: [UInt8(ascii: "[")] + value + [UInt8(ascii: "]")]))
            self.changed = true
            return
        }
        let current = self.members[index].value
        var appended: [UInt8]
        switch current.first {
        case UInt8(ascii: "\"")?:
            appended = [UInt8(ascii: "[")] + current + [UInt8(ascii: ",")] + value
        case UInt8(ascii: "[")?:
            let isEmpty = current.dropFirst().dropLast().allSatisfy(JSONScanner.isWhitespace)
            appended = Array(current.dropLast()) + (isEmpty ? [] : [UInt8(ascii: ",")]) + value
        default:
            appended = [UInt8(ascii: "[")] + value
        }
        appended.append(UInt8(ascii: "]"))
        self.members[index].value = appended[...]
        self.changed = true
    }

    /// The object, compact: `{"key":value,...}` with each key and value as written.
    func write(to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "{"))
        for (index, member) in self.members.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            buffer.writeBytes(member.key)
            buffer.writeInteger(UInt8(ascii: ":"))
            buffer.writeBytes(member.value)
        }
        buffer.writeInteger(UInt8(ascii: "}"))
    }
}
