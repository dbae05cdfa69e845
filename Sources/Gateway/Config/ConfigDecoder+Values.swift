/// A value of the document being decoded, and its JSON path.
struct ConfigNode {
    var value: JSONValue
    var path: String
}

/// An object of the document being decoded.
struct ConfigObject {
    var path: String
    var members: [JSONMember]

    var value: JSONValue { .object(self.members) }

    /// The members in document order, as nodes.
    var nodes: [(key: String, node: ConfigNode)] {
        self.members.map { ($0.key, ConfigNode(value: $0.value, path: JSONPath.member($0.key, of: self.path))) }
    }

    /// The member named `key`, or nil when absent.
    subscript(key: String) -> ConfigNode? {
        let member = self.members.first { $0.key == key }
        return member.map { ConfigNode(value: $0.value, path: JSONPath.member(key, of: self.path)) }
    }
}

/// Typed reads. Each takes an optional node and returns nil when it is absent, or after recording an error when its
/// value is not what was expected; a string whose substitution failed is nil without a second error.
extension ConfigDecoder {
    /// The member `key` of `object`; records `is required` when absent.
    mutating func required(_ key: String, in object: ConfigObject) -> ConfigNode? {
        guard let node = object[key] else {
            self.fail(JSONPath.member(key, of: object.path), "is required")
            return nil
        }
        return node
    }

    /// An object whose keys must be among `fields` (any keys when nil); each unknown field is an error.
    mutating func object(_ node: ConfigNode?, fields: [String]?) -> ConfigObject? {
        guard let node = self.present(node) else { return nil }
        guard case .object(let members) = node.value else {
            self.fail(node, expected: "an object")
            return nil
        }
        if let fields {
            for member in members where !fields.contains(member.key) {
                let allowed = fields.joined(separator: ", ")
                self.fail(JSONPath.member(member.key, of: node.path), "unknown field; allowed fields are \(allowed)")
            }
        }
        return ConfigObject(path: node.path, members: members)
    }

    /// The elements of an array.
    mutating func array(_ node: ConfigNode?) -> [ConfigNode]? {
        guard let node = self.present(node) else { return nil }
        guard case .array(let elements) = node.value else {
            self.fail(node, expected: "an array")
            return nil
        }
        return elements.enumerated().map { ConfigNode(value: $1, path: JSONPath.element($0, of: node.path)) }
    }

    mutating func string(_ node: ConfigNode?) -> String? {
        guard let node = self.present(node) else { return nil }
        guard case .string(let string) = node.value else {
            self.fail(node, expected: "a string")
            return nil
        }
        return string
    }

    mutating func nonEmptyString(_ node: ConfigNode?) -> String? {
        guard let node = self.present(node) else { return nil }
        guard case .string(let string) = node.value, !string.isEmpty else {
            self.fail(node, expected: "a non-empty string")
            return nil
        }
        return string
    }

    /// An array of strings; the elements that are strings when some are not.
    mutating func strings(_ node: ConfigNode?) -> [String]? {
        self.array(node).map { elements in elements.compactMap { self.string($0) } }
    }

    mutating func bool(_ node: ConfigNode?) -> Bool? {
        guard let node = self.present(node) else { return nil }
        guard case .bool(let bool) = node.value else {
            self.fail(node, expected: "true or false")
            return nil
        }
        return bool
    }

    /// An integer within `range`; `expectation` describes it (`a positive integer`).
    mutating func integer(_ node: ConfigNode?, in range: ClosedRange<Int64>, expected expectation: String) -> Int? {
        guard let node = self.present(node) else { return nil }
        guard case .integer(let integer) = node.value, range.contains(integer) else {
            self.fail(node, expected: expectation)
            return nil
        }
        return Int(integer)
    }

    /// A number (integer or not) within `range`; `expectation` describes it (`a number of seconds from 0 to 65535`).
    mutating func number(_ node: ConfigNode?, in range: ClosedRange<Double>, expected expectation: String) -> Double? {
        guard let node = self.present(node) else { return nil }
        let number: Double
        switch node.value {
        case .integer(let integer): number = Double(integer)
        case .number(let value): number = value
        default:
            self.fail(node, expected: expectation)
            return nil
        }
        guard range.contains(number) else {
            self.fail(node, expected: expectation)
            return nil
        }
        return number
    }

    /// The node unless it is absent or a string whose substitution failed.
    private func present(_ node: ConfigNode?) -> ConfigNode? {
        guard let node, !self.hasFailedSubstitution(node) else { return nil }
        return node
    }
}

extension ConfigDecoder {
    /// Records in `seen` where each `value` of a kind was first defined; a later one is an error at `path`.
    /// `shown` is the value as error messages show it.
    mutating func checkUnique(
        _ value: String,
        shown: String,
        at path: String,
        as kind: String,
        seen: WritableKeyPath<ConfigDecoder, [String: ConfigLocation]>
    ) {
        if let first = self[keyPath: seen][value] {
            self.fail(path, "expected a unique \(kind), got \(shown) (already used at \(first))")
        } else {
            self[keyPath: seen][value] = ConfigLocation(file: self.file, path: path)
        }
    }
}
